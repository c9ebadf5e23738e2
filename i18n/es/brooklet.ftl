# Brooklet — Español (Spanish)

## Common words
yes = sí
no = no

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — un cliente BitTorrent rápido y ligero

    Uso:
      brooklet info <FILE.torrent|MAGNET> [--json]
          Muestra el contenido de un archivo torrent o de un enlace magnet.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Crea un torrent a partir de un archivo o una carpeta. Cada --tracker forma su
          propio nivel; separe las URL con comas para ponerlas en el mismo nivel.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Comprueba los datos del disco con un torrent; termina con el código 0 solo si
          todas las piezas son correctas.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Descarga en DIR (predeterminado: la carpeta actual); termina con el código 0 cuando
          todas las piezas están verificadas. Con --seed, sigue sembrando hasta que se interrumpa.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Comprueba los datos de DATA_DIR y luego los siembra hasta que se interrumpa.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Hace que Brooklet abra los archivos .torrent y los enlaces magnet (o lo deshace).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Abre la ventana de escritorio (y añade los torrents indicados).

    Variables de entorno:
      BROOKLET_LANG           idioma que se usará (p. ej., de, fr, ja); predeterminado: el del sistema
      BROOKLET_LOOPBACK_ONLY  póngala a 1 para que todas las conexiones usen direcciones de loopback
cli-unknown-command = comando desconocido `{ $command }` (pruebe `brooklet --help`)
cli-missing-argument = falta el argumento { $what } (pruebe `brooklet --help`)
cli-bad-number = { $option } necesita un número de bytes como 16384, 256k o 4M, no `{ $value }`
cli-bad-magnet = enlace magnet no válido: { $reason }
cli-cannot-read = no se puede leer `{ $path }`: { $reason }
cli-cannot-write = no se puede escribir `{ $path }`: { $reason }

## --register-handlers y --unregister-handlers
handlers-wrote = escrito: { $path }
handlers-removed = eliminado: { $path }
handlers-kept = conservado: { $path } (no lo escribió Brooklet)
handlers-ran = ejecutado: { $command }
handlers-tool-missing = { $tool } no está instalado: se omite
handlers-tool-failed = { $command } falló, se sigue sin él: { $reason }
handlers-default-set = Brooklet abre ahora { $kind }
handlers-default-unset = Brooklet ya no abre { $kind }
handlers-registry-wrote = clave del registro escrita: { $key }
handlers-registry-removed = clave del registro eliminada: { $key }
handlers-not-needed = nada que hacer en macOS: Brooklet.app declara los archivos .torrent y los enlaces magnet en su Info.plist
handlers-error-exe = no se encuentra el programa en ejecución: { $reason }
handlers-error-path = la ruta del programa `{ $path }` no cabe en una entrada de escritorio (mueva Brooklet a una ruta sin saltos de línea)
handlers-error-no-home = no hay carpeta personal: defina HOME o XDG_DATA_HOME
handlers-error-remove = no se puede eliminar `{ $path }`: { $reason }
handlers-error-tool-missing = { $tool } no está instalado (instale el paquete { $package })
handlers-error-command = `{ $command }` falló: { $reason }
handlers-error-registry = no se puede cambiar la clave del registro { $key }: { $reason }
cli-torrent-too-large = ocupa más de 10 MiB, demasiado para un archivo torrent
cli-bad-torrent = `{ $path }` no es un torrent utilizable: { $reason }

cli-bad-port = --port necesita un número entre 0 y 65535, no { $value }
cli-bad-peer = dirección de par no válida `{ $peer }`: { $reason }
cli-peer-not-loopback = el par `{ $peer }` no está en una dirección de loopback y BROOKLET_LOOPBACK_ONLY está activada
cli-listening = escuchando en el puerto { $port }
cli-stopping = Deteniendo: avisando a los trackers y guardando los archivos…
cli-interrupted = interrumpido antes de que terminara la descarga
engine-stopped = el motor se detuvo inesperadamente

## Progress
progress-hashing = Calculando hash
progress-checking = Comprobando

## brooklet info
info-name = Nombre
info-hash = Hash de información
info-magnet = Enlace magnet
info-size = Tamaño
info-size-value = { $size } ({ $bytes } bytes) en { $files ->
    [one] un archivo
   *[other] { $files } archivos
}
info-pieces = Piezas
info-pieces-value = { $count } × { $size }
info-private = Privado
info-version = Versión
info-hybrid = híbrido v1 + v2 (se usa v1)
info-tracker = Tracker (nivel { $tier })
info-web-seed = Semilla web
info-peer = Par
info-comment = Comentario
info-created-by = Creado con
info-created-on = Creado el
info-files = Archivos
info-selected-files = Selección
info-magnet-no-metadata = La lista de archivos llegará con los metadatos del enjambre.

## brooklet create
create-done = Se escribió { $path }: { $size } en { $pieces ->
        [one] { $pieces } pieza
       *[other] { $pieces } piezas
    } de { $piece_size }, hash calculado a { $rate }.

## brooklet verify
verify-summary = Piezas verificadas: { $have } de { $total } ({ $rate }).
verify-read-error = pieza { $piece }: { $reason }
verify-incomplete = { $missing ->
    [one] falta una pieza o está dañada
   *[other] faltan { $missing } piezas o están dañadas
}

## brooklet download / seed
download-done = Descargado { $name }: { $size } en { $seconds } s ({ $rate }).
download-resumed = Reanudado desde el progreso guardado: { $have } de { $total } piezas, sin comprobar hashes.
download-checked = Datos existentes comprobados: { $have } de { $total } piezas verificadas.
seed-ready = Sembrando { $name }. Pulse Ctrl+C para detener.
seed-incomplete = los datos están incompletos ({ $missing ->
        [one] falta una pieza o está dañada
       *[other] faltan { $missing } piezas o están dañadas
    }); `brooklet download` puede obtener el resto
peer-banned = par { $addr } bloqueado por enviar datos que no superaron la comprobación de hash
bar-metadata = Descargando metadatos de { $peers } pares
bar-checking = Comprobando { $percent }%
bar-seeding = Sembrando ↑ { $up }, { $uploaded } subidos, { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }, quedan { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Añadir torrent
toolbar-add-magnet = Añadir enlace
toolbar-start = Iniciar
toolbar-pause = Pausar
toolbar-stop = Detener
toolbar-remove = Quitar
toolbar-remove-data = Quitar con los datos
filter-placeholder = Filtrar (Ctrl+F)
magnet-label = Enlace magnet:
magnet-add = Añadir
dismiss = Cerrar
cancel = Cancelar
list-empty = Aún no hay torrents. Añada uno con «Añadir torrent» (Ctrl+O) o abriendo un archivo .torrent.
column-number = #
column-name = Nombre
column-size = Tamaño
column-done = Progreso
column-status = Estado
column-seeds = Semillas
column-peers = Pares
column-down = Vel. bajada
column-up = Vel. subida
column-eta = Tiempo restante
column-ratio = Ratio
column-uploaded = Subido
category-all = Todos
category-downloading = Descargando
category-seeding = Sembrando
category-completed = Completados
category-active = Activos
category-inactive = Inactivos
category-paused = En pausa
category-errored = Con errores
status-metadata = Descargando metadatos
status-checking = Comprobando
status-moving = Moviendo { $percent } %
status-stalled = Estancado
status-downloading = Descargando
status-seeding = Sembrando
status-finished = Terminado
status-paused = En pausa
status-stopped = Detenido
status-error = Error
status-error-retrying = Error (reintento en { $seconds } s)
details-none = Seleccione un torrent para ver sus detalles.
details-general = General
details-name = Nombre
details-hash = Hash de información
details-pieces = Piezas
details-wasted = Desperdiciado
details-peers = Conexiones
details-peers-value = { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }, { $seeds ->
        [one] { $seeds } semilla
       *[other] { $seeds } semillas
    }, { $banned ->
        [one] { $banned } bloqueado
       *[other] { $banned } bloqueados
    }
details-error = Último error
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Libre: { $size }
status-torrents = Torrents: { $count }
status-port = Puerto { $port }
status-starting = Iniciando…
confirm-remove-data = { $count ->
    [one] ¿Quitar este torrent y eliminar sus archivos descargados?
   *[other] ¿Quitar { $count } torrents y eliminar sus archivos descargados?
}
confirm-remove-data-yes = Quitar y eliminar
dialog-add-torrent = Añadir torrents
dialog-torrent-files = Archivos torrent
error-engine-stopped = El motor de transferencia se ha detenido.
error-engine-not-ready = El motor de transferencia aún se está iniciando; inténtelo de nuevo en un momento.
error-engine-start = No se pudo iniciar el motor de transferencia: { $reason }
error-save-folder = No se puede usar la carpeta de descargas { $path }: { $reason }
error-window = no se puede abrir la ventana: { $reason }
error-no-display = no hay pantalla gráfica: no están definidas ni DISPLAY ni WAYLAND_DISPLAY. Ejecute Brooklet en una sesión de escritorio o use la línea de comandos (brooklet --help).
error-instance-refused = el Brooklet en ejecución rechazó la solicitud.
error-instance-unreachable = no se puede contactar con el Brooklet en ejecución: { $reason }
warning-instance-endpoint = no se puede preparar el punto de acceso de instancia única ({ $reason }); un segundo inicio abrirá otra ventana.

## Desktop app: details panel, context menus, add dialog
column-added = Añadido el
column-completed = Completado el
column-save-path = Carpeta
toolbar-show-details = Mostrar detalles
toolbar-hide-details = Ocultar detalles
status-dht = { $nodes ->
    [one] DHT: un nodo
   *[other] DHT: { $nodes } nodos
}
details-trackers = Trackers
details-peers-tab = Pares
details-pieces-tab = Piezas
details-files = Archivos
details-transfer = Transferencia
details-downloaded = Descargado
details-uploaded = Subido
details-ratio = Ratio
details-speed = Velocidad
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } ({ $have } completas)
details-pieces-have = { $have } de { $total }
details-save-path = Guardado en
details-size = Tamaño total
details-comment = Comentario
details-created-by = Creado con
details-created-on = Creado el
details-added-on = Añadido el
details-completed-on = Completado el
details-magnet = Enlace magnet
details-many = { $count ->
    [one] Un torrent seleccionado.
   *[other] { $count } torrents seleccionados.
}
details-waiting = Esperando los detalles del motor de transferencia…
details-no-metadata = No hay nada que mostrar hasta que lleguen los metadatos del enjambre.
details-no-trackers = Este torrent no tiene trackers.
details-no-peers = No hay pares conectados.
peer-add = Añadir par
peer-add-placeholder = IP:puerto
peer-add-bad = «{ $address }» no es una dirección de par: escriba una IP y un puerto, como 203.0.113.5:6881 o [2001:db8::1]:6881.
limits-max-peers = Máx. pares conectados
limits-max-peers-note = 0 = el valor predeterminado de Preferencias → Conexión.
limits-bad-peers = El máx. de pares conectados debe ser un número entero de 0 a { $max }.
details-pieces-summary = { $have } de { $total } piezas de { $size }
pieces-have = Completa
pieces-downloading = Descargando
pieces-missing = Falta
tracker-url = URL
tracker-tier = Nivel
tracker-status = Estado
tracker-peers = Pares
tracker-seeds = Semillas
tracker-leechers = Sanguijuelas
tracker-next = Próximo anuncio
tracker-warning = Aviso
tracker-not-contacted = Aún no contactado
tracker-updating = Actualizando…
tracker-working = Funciona
tracker-error = Error: { $reason }
peer-address = Dirección
peer-client = Cliente
peer-flags = Indicadores
peer-progress = Progreso
peer-downloaded = Descargado
peer-source = Origen
source-tracker = Tracker
source-manual = Manual
source-incoming = Entrante
source-dht = DHT
source-pex = PEX
source-magnet = Enlace magnet
file-path = Ruta
file-priority = Prioridad
priority-skip = No descargar
priority-low = Baja
priority-normal = Normal
priority-high = Alta
menu-recheck = Forzar comprobación
menu-reannounce = Forzar anuncio
menu-sequential = Descarga secuencial
menu-first-last = Primeras y últimas partes primero
menu-open-folder = Abrir carpeta
menu-move-data = Mover datos…
dialog-move-data = Elige la nueva carpeta para los datos
menu-copy-magnet = Copiar enlace magnet
menu-copy-hash = Copiar hash de información
dialog-add-title = Añadir nuevo torrent
dialog-choose-files = Elegir los archivos que descargar
dialog-choose-folder = Elegir la carpeta de descarga
dialog-save-in = Guardar en
dialog-browse = Examinar…
dialog-start = Iniciar torrent
dialog-sequential = Descarga secuencial
dialog-first-last = Primeras y últimas partes primero
dialog-select-all = Seleccionar todo
dialog-select-none = No seleccionar nada
dialog-files-later = Los archivos aparecerán cuando lleguen los metadatos del enjambre.
dialog-size-unknown = Desconocido hasta que lleguen los metadatos
dialog-size-value = { $total } (seleccionado: { $selected })
dialog-waiting = { $count ->
    [one] Queda un torrent más en espera
   *[other] Quedan { $count } torrents más en espera
}
dialog-ok = Aceptar
error-bad-magnet = Enlace magnet no válido: { $reason }
error-bad-torrent = { $path } no es un torrent utilizable: { $reason }
error-read-torrent = No se puede leer { $path }: { $reason }
error-open-folder = No se puede abrir { $path }: { $reason }
error-no-file-manager = No se puede abrir { $path }: { $program } no está instalado.
error-no-files-selected = Seleccione al menos un archivo para descargar.

## Preferences
toolbar-preferences = Preferencias
prefs-title = Preferencias
prefs-tab-general = General
prefs-tab-connection = Conexión
prefs-tab-bittorrent = BitTorrent
prefs-language = Idioma
prefs-language-system = Idioma del sistema
prefs-theme = Tema
prefs-theme-system = Seguir al sistema
prefs-theme-light = Claro
prefs-theme-dark = Oscuro
prefs-save-path = Guardar los torrents nuevos en
prefs-save-path-absolute = La carpeta de descargas debe ser una ruta completa (por ejemplo /home/tu/Descargas).
prefs-show-add-dialog = Mostrar el diálogo de añadir para los torrents nuevos
prefs-confirm-remove = Preguntar antes de quitar un torrent junto con sus datos
prefs-port = Puerto de escucha (0 = aleatorio)
prefs-max-connections = Conexiones máximas
prefs-max-per-torrent = Conexiones máximas por torrent
prefs-dht = Buscar pares mediante la DHT (necesario para enlaces magnet sin tracker)
prefs-restart-note = Estos ajustes se aplican la próxima vez que se inicie Brooklet.
prefs-connection-note = El puerto se aplica la próxima vez que se inicie Brooklet; los límites de conexiones, al momento.
prefs-bad-number = { $field }: escribe un número entero de { $min } a { $max }.
error-settings-save = No se pudieron guardar las preferencias: { $reason }

## Desktop notifications
notify-finished = Descarga terminada
notify-finished-many = { $count ->
    [one] { $count } descarga terminada
   *[other] { $count } descargas terminadas
}
notify-error = Error en { $name }
notify-errors-many = { $count ->
    [one] { $count } torrent detenido por un error
   *[other] { $count } torrents detenidos por errores
}
notify-and-more = …y { $count } más
notify-metadata = Enlace magnet listo
notify-metadata-body = { $name }: ha llegado la lista de archivos.
notify-open-folder = Abrir carpeta
prefs-notify-finished = Avisar cuando termine una descarga o un enlace magnet esté listo
prefs-notify-errors = Avisar cuando un torrent se detenga por un error
warning-notifications = las notificaciones del escritorio no están disponibles ({ $reason }); Brooklet sigue sin ellas.

## Speed tab
speed-download = Descarga
speed-upload = Subida
speed-window = Últimos 5 minutos
speed-this-torrent = Este torrent
speed-all-torrents = Todos los torrents
speed-peak = Máximo: { $rate }

## Tray and start-up
tray-show-hide = Mostrar / ocultar Brooklet
tray-pause-all = Pausar todo
tray-resume-all = Reanudar todo
tray-alt-speed = Límites de velocidad alternativos
tray-quit = Salir de Brooklet
confirm-quit = ¿Salir de Brooklet? Las descargas y la siembra se detienen hasta que lo vuelvas a iniciar.
confirm-quit-yes = Salir
prefs-tab-desktop = Escritorio
prefs-close-to-tray = Al cerrar la ventana, Brooklet sigue en la bandeja del sistema
prefs-start-minimized = Iniciar con la ventana oculta en la bandeja
prefs-start-on-login = Iniciar Brooklet al iniciar sesión
prefs-tray-missing = No se encontró una bandeja del sistema: cerrar la ventana sale de Brooklet (tras preguntar), y siempre se inicia con la ventana visible.
prefs-handlers = Abrir archivos .torrent y enlaces magnet con Brooklet
prefs-handlers-button = Predeterminar
prefs-handlers-done = Brooklet abre ahora los archivos .torrent y los enlaces magnet.
error-handlers = No se pudo hacer de Brooklet el programa predeterminado: { $reason }
error-autostart = No se pudo cambiar el inicio al iniciar sesión: { $reason }
warning-no-tray = no hay bandeja del sistema ({ $reason }); cerrar la ventana sale de Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Límites de velocidad (download y seed):
      --max-down RATE, --max-up RATE
          Limita la descarga o la subida a RATE bytes por segundo: un número entero con una
          unidad opcional, como 500K o 1M (0: sin límite).
prefs-tab-speed = Velocidad
prefs-speed-global = Límites globales
prefs-speed-alt = Límites alternativos
prefs-speed-down = Bajada
prefs-speed-up = Subida
prefs-speed-units = Límites en KiB/s; 0 significa sin límite.
prefs-speed-scheduled = Usar los límites alternativos según este horario
prefs-speed-schedule-note = Haz clic en una hora para cambiarla: las horas resaltadas usan los límites alternativos (hora local). Un cambio manual dura hasta el siguiente cambio del horario.
day-mon = Lun
day-tue = Mar
day-wed = Mié
day-thu = Jue
day-fri = Vie
day-sat = Sáb
day-sun = Dom
limit-none = ∞
status-limits = Límites ↓ { $down } ↑ { $up }
status-alt-speed = Vel. alt.
status-alt-speed-on = Los límites alternativos están activos: haz clic para usar los normales
status-alt-speed-off = Haz clic para usar los límites alternativos
menu-set-limits = Fijar límites…
limits-title = { $count ->
    [one] Límites y objetivos de siembra del torrent
   *[other] Límites y objetivos de siembra de { $count } torrents
}
limits-down = Límite de descarga
limits-up = Límite de subida
goal-global = Valor global
goal-unlimited = Sin límite
goal-value = Valor propio
limits-bad-rate = { $field }: escribe un número entero de KiB/s entre 0 y { $max }.

## Create torrent and drag and drop
toolbar-create = Crear torrent
create-title = Crear un torrent nuevo
create-source = Compartir
create-source-placeholder = Un archivo o una carpeta
create-pick-file = Archivo…
create-pick-folder = Carpeta…
create-pick-title = Elija qué compartir
create-no-source = Elija un archivo o una carpeta, o suéltelo en la ventana.
create-scanning = Leyendo los archivos…
create-source-summary = { $files ->
    [one] { $files } archivo, { $size }
   *[other] { $files } archivos, { $size }
}
create-trackers = Trackers
create-trackers-hint = Una URL por línea; una línea vacía empieza un nivel nuevo.
create-piece-size = Tamaño de pieza
create-piece-auto = Automático
create-piece-count = { $pieces ->
    [one] { $pieces } pieza de { $piece }
   *[other] { $pieces } piezas de { $piece }
}
create-comment = Comentario
create-private = Torrent privado
create-start-seeding = Empezar a sembrar
create-create = Crear
create-hashing-title = Creando el torrent…
create-hashing-progress = { $done } de { $total } procesados ({ $percent } %)
create-cancelling = Deteniendo…
create-cancelled = Cancelado: no se creó ningún torrent.
create-done-title = Torrent creado
create-size-pieces = { $size } en { $pieces } piezas de { $piece }
create-saved-as = Guardado como
create-not-saved = Aún no guardado
create-seeding = Sembrando desde los archivos originales, sin comprobación.
create-save = Guardar…
create-save-beside = Guardar junto a los archivos
create-save-title = Guardar el torrent como
create-copy-magnet = Copiar enlace magnet
create-close = Cerrar
create-bad-tracker = La línea { $line } no es una URL de tracker (http://, https:// o udp://): { $url }
create-too-many-trackers = Use como máximo { $max } trackers.
create-error-empty = { $path } no contiene datos: todos sus archivos están vacíos, o no hay ninguno.
create-error-too-many-files = { $path } contiene más de { $max } archivos, demasiados para un torrent.
create-error = No se pudo crear el torrent: { $reason }
create-error-write = No se puede escribir { $path }: { $reason }
drop-hint-title = Suelte aquí
drop-hint-torrents = Los archivos .torrent se añaden.
drop-hint-create = Cualquier otro archivo o carpeta abre «Crear un torrent nuevo».
error-paste-nothing = El portapapeles no contiene un enlace magnet ni la ruta de un archivo .torrent.

## Seeding goals
prefs-seed-goals = Objetivos de siembra
prefs-seed-ratio = Dejar de sembrar con la proporción
prefs-seed-minutes = Dejar de sembrar tras (minutos)
prefs-seed-idle = Dejar de compartir tras inactividad (minutos)
prefs-goal-action = Al alcanzar un objetivo
prefs-goal-pause = Pausar el torrent
prefs-goal-remove = Quitar el torrent (conservar los datos)
prefs-seed-goals-note = Vacío significa nunca. Un torrent que alcanza un objetivo se pausa o se quita, según lo elegido; si reanudas a mano uno pausado, sigue sembrando.
prefs-bad-ratio = Proporción: escribe un número de 0,01 a { $max }, o déjalo vacío.

## Queue
status-queued = En cola
status-check-queued = En cola para verificar
status-queued-seed = En cola (semilla)
status-forced-downloading = [F] Descargando
status-forced-seeding = [F] Sembrando
menu-force-start = Forzar inicio
menu-queue-top = Mover al principio de la cola
menu-queue-up = Subir en la cola
menu-queue-down = Bajar en la cola
menu-queue-bottom = Mover al final de la cola
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = Cola
prefs-queueing = Ejecutar solo unos pocos torrents a la vez; los demás esperan en la cola
prefs-queue-downloads = Máximo de descargas activas
prefs-queue-seeds = Máximo de semillas activas
prefs-queue-active = Máximo de torrents activos
prefs-queue-ignore-slow = No contar los torrents lentos
prefs-queue-rule = Siguiendo la cola, un torrent que aún descarga ocupa un puesto de descarga, uno terminado un puesto de siembra, y cada uno ocupa uno de los puestos activos; si el puesto que necesita está ocupado, espera (En cola). Un torrent es lento cuando ha movido menos de 2 KiB/s (velocidad de descarga si descarga, de subida si siembra) durante un minuto: sigue funcionando pero libera su puesto.
prefs-queue-force-note = Los torrents en pausa, con error, en verificación (de uno en uno) y los enlaces magnet que buscan sus archivos no ocupan puesto. Forzar inicio ejecuta un torrent diga lo que diga la cola; Iniciar lo devuelve a la cola.

## Labels
column-label = Etiqueta
sidebar-labels = ETIQUETAS
sidebar-trackers = TRACKERS
sidebar-trackerless = Sin tracker
sidebar-tracker-error = Error de tracker
label-empty = Una etiqueta necesita un nombre.
label-too-many = Como máximo { $max } etiquetas.
label-title = Etiqueta para { $count } torrent(s)
label-name = Nombre
label-name-placeholder = p. ej. Linux
label-pick = Etiquetas conocidas
label-colour = Color
label-save-path = Guardar torrents nuevos en
label-save-path-placeholder = (la carpeta habitual)
label-note = Límites en KiB/s, 0 = ninguno; un torrent con la etiqueta los recibe. La carpeta se usa para torrents añadidos con la etiqueta.
label-clear = Sin etiqueta
label-delete = Borrar etiqueta
menu-label = Etiqueta…
dialog-label = Etiqueta
dialog-no-label = (ninguna)

## IP filter and peer bans
cli-usage-ip-filter =
    Filtro IP (download y seed):
      --ip-filter FILE
          No conectar nunca con las direcciones de FILE ni aceptarlas: una lista
          ipfilter.dat de eMule o .p2p de PeerGuardian.
cli-bad-ip-filter = Filtro IP: { $reason }
cli-ip-filter-loaded = Filtro IP: { $ranges } rangos de direcciones bloqueados ({ $bad } líneas ilegibles omitidas)
prefs-ip-filter = Activar el filtro IP
prefs-ip-filter-file = Lista de filtrado (ipfilter.dat o .p2p)
prefs-ip-filter-reload = Recargar
prefs-ip-filter-off = No hay ningún filtro IP en uso.
prefs-ip-filter-loading = Cargando el filtro IP…
prefs-ip-filter-loaded = { $ranges } rangos de direcciones bloqueados.
prefs-ip-filter-bad-lines = { $bad } líneas ilegibles omitidas (la primera es la línea { $line }).
prefs-ip-filter-error = No se pudo cargar el filtro IP: { $reason }
prefs-ip-filter-no-file = Elige una lista de filtrado o desactiva el filtro IP.
prefs-blocked-connections = Intentos de conexión bloqueados en esta sesión: { $count }
dialog-choose-ip-filter = Elegir una lista de filtrado IP
dialog-ip-filter-files = Listas de filtrado IP
menu-ban-peer = Bloquear al par durante esta sesión
menu-ban-peer-permanently = Bloquear al par para siempre
prefs-banned-peers = Pares bloqueados: { $count }
prefs-lift-bans = Quitar todos los bloqueos

## Port reachability
status-port-open = Puerto { $port } ✓
status-port-open-tip = Hay pares que se han conectado a nosotros: el puerto es accesible.
status-port-unknown-tip = Todavía no se ha conectado ningún par. Si nunca ocurre, puede que un router o cortafuegos cierre el puerto: redirígelo o activa UPnP allí.
menu-open = Abrir
error-not-on-disk = { $path } aún no está en el disco.

# Editar los trackers de un torrent
trackers-edit = Editar trackers…
trackers-title = Trackers de { $name }
trackers-hint = Una URL de anuncio por línea; una línea vacía empieza un nuevo nivel. A los trackers que quites se les avisa de que el torrent se detuvo; a los nuevos se les pregunta enseguida.
trackers-bad-url = No es una URL de tracker (http://, https:// o udp:// con un host): { $url }
menu-remove-tracker = Quitar tracker
menu-copy-tracker-url = Copiar URL
prefs-announce-all-tiers = Anunciar a todos los trackers de todos los niveles
prefs-announce-all-tiers-note = Desactivado: cada anuncio va al primer tracker que responde, nivel a nivel (BEP 12). Activado: se pregunta cada vez a todos los trackers de todos los niveles.
prefs-direct-writes = Escribir las descargas sin pasar por la caché de archivos del sistema
prefs-direct-writes-note = Menos tiempo de procesador por byte descargado, y una descarga no saca de la memoria los archivos de otros programas. Donde el sistema de archivos no lo admite, se usa la caché de todos modos.
prefs-limit-overhead = Los límites cuentan también la sobrecarga del protocolo, no solo los datos
prefs-move-completed = Mover las descargas terminadas a
prefs-torrent-copies = Guardar copias de los archivos .torrent en
prefs-folder-absolute = { $field }: la carpeta debe ser una ruta completa (por ejemplo /home/tu/Terminados).
prefs-folder-missing = { $field }: elige una carpeta o desactiva la opción.
prefs-pex = Intercambiar pares con otros pares (PEX)
prefs-pex-note = Se aplica al momento; los torrents privados nunca usan el intercambio de pares.
prefs-random-port = Usar un puerto aleatorio en cada inicio
