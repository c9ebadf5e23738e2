# Brooklet — Português do Brasil (Brazilian Portuguese)

## Common words
yes = sim
no = não

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — um cliente BitTorrent rápido e leve

    Uso:
      brooklet info <FILE.torrent|MAGNET> [--json]
          Mostra o conteúdo de um arquivo torrent ou de um link magnet.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Cria um torrent a partir de um arquivo ou pasta. Cada --tracker é uma camada
          própria; separe as URLs com vírgulas para colocá-las na mesma camada.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Verifica os dados no disco em relação a um torrent; sai com código 0 somente
          quando todos os pedaços são verificados.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Baixa em DIR (padrão: a pasta atual); sai com código 0 quando todos os pedaços
          forem verificados. Com --seed, continua semeando até ser interrompido.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Verifica os dados em DATA_DIR e depois os semeia até ser interrompido.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Faz o Brooklet abrir arquivos .torrent e links magnet (ou desfaz isso).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Abre a janela do aplicativo (adicionando os torrents informados).

    Variáveis de ambiente:
      BROOKLET_LANG           idioma a usar (ex.: de, fr, ja); padrão: o do sistema
      BROOKLET_LOOPBACK_ONLY  defina como 1 para manter todas as conexões em endereços de loopback
cli-unknown-command = comando desconhecido `{ $command }` (tente `brooklet --help`)
cli-missing-argument = falta o argumento { $what } (tente `brooklet --help`)
cli-bad-number = { $option } precisa de um número de bytes como 16384, 256k ou 4M, não `{ $value }`
cli-bad-magnet = link magnet inválido: { $reason }
cli-cannot-read = não foi possível ler `{ $path }`: { $reason }
cli-cannot-write = não foi possível gravar `{ $path }`: { $reason }

## --register-handlers e --unregister-handlers
handlers-wrote = gravado: { $path }
handlers-removed = removido: { $path }
handlers-kept = mantido: { $path } (não foi gravado pelo Brooklet)
handlers-ran = executado: { $command }
handlers-tool-missing = { $tool } não está instalado: etapa ignorada
handlers-tool-failed = { $command } falhou, seguindo sem ele: { $reason }
handlers-default-set = o Brooklet agora abre { $kind }
handlers-default-unset = o Brooklet não abre mais { $kind }
handlers-registry-wrote = chave do registro gravada: { $key }
handlers-registry-removed = chave do registro removida: { $key }
handlers-not-needed = nada a fazer no macOS: o Brooklet.app declara arquivos .torrent e links magnet no seu Info.plist
handlers-error-exe = não foi possível encontrar o programa em execução: { $reason }
handlers-error-path = o caminho do programa `{ $path }` não cabe em uma entrada de desktop (mova o Brooklet para um caminho sem quebras de linha)
handlers-error-no-home = nenhuma pasta pessoal: defina HOME ou XDG_DATA_HOME
handlers-error-remove = não foi possível remover `{ $path }`: { $reason }
handlers-error-tool-missing = { $tool } não está instalado (instale o pacote { $package })
handlers-error-command = `{ $command }` falhou: { $reason }
handlers-error-registry = não foi possível alterar a chave do registro { $key }: { $reason }
cli-torrent-too-large = tem mais de 10 MiB, grande demais para um arquivo torrent
cli-bad-torrent = `{ $path }` não é um torrent utilizável: { $reason }

cli-bad-port = --port precisa de um número de 0 a 65535, não { $value }
cli-bad-peer = endereço de par inválido `{ $peer }`: { $reason }
cli-peer-not-loopback = o par `{ $peer }` não está em um endereço de loopback e BROOKLET_LOOPBACK_ONLY está definida
cli-listening = escutando na porta { $port }
cli-stopping = Parando: avisando os rastreadores e gravando os arquivos…
cli-interrupted = interrompido antes de o download terminar
engine-stopped = o mecanismo parou inesperadamente

## Progress
progress-hashing = Calculando hash
progress-checking = Verificando

## brooklet info
info-name = Nome
info-hash = Hash de informação
info-magnet = Link magnet
info-size = Tamanho
info-size-value = { $size } ({ $bytes } bytes) em { $files ->
    [one] { $files } arquivo
   *[other] { $files } arquivos
}
info-pieces = Pedaços
info-pieces-value = { $count } × { $size }
info-private = Privado
info-version = Versão
info-hybrid = híbrido v1 + v2 (usando v1)
info-tracker = Rastreador (camada { $tier })
info-web-seed = Semente web
info-peer = Par
info-comment = Comentário
info-created-by = Criado com
info-created-on = Criado em
info-files = Arquivos
info-selected-files = Seleção
info-magnet-no-metadata = A lista de arquivos chega com os metadados vindos do enxame.

## brooklet create
create-done = { $path } gravado: { $size } em { $pieces ->
        [one] { $pieces } pedaço
       *[other] { $pieces } pedaços
    } de { $piece_size }, hash calculado a { $rate }.

## brooklet verify
verify-summary = Pedaços verificados: { $have } de { $total } ({ $rate }).
verify-read-error = pedaço { $piece }: { $reason }
verify-incomplete = { $missing ->
    [one] { $missing } pedaço está faltando ou danificado
   *[other] { $missing } pedaços estão faltando ou danificados
}

## brooklet download / seed
download-done = { $name } baixado: { $size } em { $seconds } s ({ $rate }).
download-resumed = Retomado do progresso salvo: { $have } de { $total } partes, sem verificação de hash.
download-checked = Dados existentes verificados: { $have } de { $total } partes confirmadas.
seed-ready = Semeando { $name }. Pressione Ctrl+C para parar.
seed-incomplete = os dados estão incompletos ({ $missing ->
        [one] { $missing } pedaço faltando ou danificado
       *[other] { $missing } pedaços faltando ou danificados
    }); `brooklet download` pode baixar o restante
peer-banned = par { $addr } banido por enviar dados que falharam na verificação de hash
bar-metadata = Baixando metadados de { $peers } pares
bar-checking = Verificando { $percent }%
bar-seeding = Semeando ↑ { $up }, { $uploaded } enviados, { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }, faltam { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Adicionar torrent
toolbar-add-magnet = Adicionar link
toolbar-start = Iniciar
toolbar-pause = Pausar
toolbar-stop = Parar
toolbar-remove = Remover
toolbar-remove-data = Remover com os dados
filter-placeholder = Filtrar (Ctrl+F)
magnet-label = Link magnet:
magnet-add = Adicionar
dismiss = Fechar
cancel = Cancelar
list-empty = Nenhum torrent ainda. Adicione um com “Adicionar torrent” (Ctrl+O) ou abrindo um arquivo .torrent.
column-number = #
column-name = Nome
column-size = Tamanho
column-done = Progresso
column-status = Status
column-seeds = Sementes
column-peers = Pares
column-down = Vel. download
column-up = Vel. upload
column-eta = Tempo restante
column-ratio = Proporção
column-uploaded = Enviado
category-all = Todos
category-downloading = Baixando
category-seeding = Semeando
category-completed = Concluídos
category-active = Ativos
category-inactive = Inativos
category-paused = Pausados
category-errored = Com erro
status-metadata = Baixando metadados
status-checking = Verificando
status-moving = Movendo { $percent }%
status-stalled = Parado
status-downloading = Baixando
status-seeding = Semeando
status-finished = Concluído
status-paused = Pausado
status-stopped = Parado
status-error = Erro
status-error-retrying = Erro (nova tentativa em { $seconds } s)
details-none = Selecione um torrent para ver os detalhes.
details-general = Geral
details-name = Nome
details-hash = Hash de informação
details-pieces = Pedaços
details-wasted = Desperdiçado
details-peers = Conexões
details-peers-value = { $peers ->
        [one] { $peers } par
       *[other] { $peers } pares
    }, { $seeds ->
        [one] { $seeds } semente
       *[other] { $seeds } sementes
    }, { $banned ->
        [one] { $banned } banido
       *[other] { $banned } banidos
    }
details-error = Último erro
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Livre: { $size }
status-torrents = Torrents: { $count }
status-port = Porta { $port }
status-starting = Iniciando…
confirm-remove-data = { $count ->
    [one] Remover este torrent e excluir os arquivos baixados?
   *[other] Remover { $count } torrents e excluir os arquivos baixados?
}
confirm-remove-data-yes = Remover e excluir
dialog-add-torrent = Adicionar torrents
dialog-torrent-files = Arquivos torrent
error-engine-stopped = O mecanismo de transferência parou.
error-engine-not-ready = O mecanismo de transferência ainda está iniciando; tente novamente em instantes.
error-engine-start = Não foi possível iniciar o mecanismo de transferência: { $reason }
error-save-folder = Não é possível usar a pasta de download { $path }: { $reason }
error-window = não foi possível abrir a janela: { $reason }
error-no-display = nenhuma tela gráfica: nem DISPLAY nem WAYLAND_DISPLAY está definida. Execute o Brooklet em uma sessão de desktop ou use a linha de comando (brooklet --help).
error-instance-refused = o Brooklet em execução recusou o pedido.
error-instance-unreachable = não foi possível contatar o Brooklet em execução: { $reason }
warning-instance-endpoint = não foi possível preparar o ponto de acesso de instância única ({ $reason }); uma segunda execução abrirá outra janela.

## Desktop app: details panel, context menus, add dialog
column-added = Adicionado em
column-completed = Concluído em
column-save-path = Pasta
toolbar-show-details = Mostrar detalhes
toolbar-hide-details = Ocultar detalhes
status-dht = { $nodes ->
    [one] DHT: um nó
   *[other] DHT: { $nodes } nós
}
details-trackers = Trackers
details-peers-tab = Pares
details-pieces-tab = Pedaços
details-files = Arquivos
details-transfer = Transferência
details-downloaded = Baixado
details-uploaded = Enviado
details-ratio = Proporção
details-speed = Velocidade
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } ({ $have } completos)
details-pieces-have = { $have } de { $total }
details-save-path = Salvo em
details-size = Tamanho total
details-comment = Comentário
details-created-by = Criado com
details-created-on = Criado em
details-added-on = Adicionado em
details-completed-on = Concluído em
details-magnet = Link magnet
details-many = { $count ->
    [one] Um torrent selecionado.
   *[other] { $count } torrents selecionados.
}
details-waiting = Aguardando os detalhes do mecanismo de transferência…
details-no-metadata = Nada a mostrar até os metadados chegarem do enxame.
details-no-trackers = Este torrent não tem trackers.
details-no-peers = Nenhum par conectado.
peer-add = Adicionar par
peer-add-placeholder = IP:porta
peer-add-bad = “{ $address }” não é um endereço de par: digite um IP e uma porta, como 203.0.113.5:6881 ou [2001:db8::1]:6881.
limits-max-peers = Máx. de pares conectados
limits-max-peers-note = 0 = o padrão de Preferências → Conexão.
limits-bad-peers = O máx. de pares conectados deve ser um número inteiro de 0 a { $max }.
details-pieces-summary = { $have } de { $total } pedaços de { $size }
pieces-have = Completo
pieces-downloading = Baixando
pieces-missing = Faltando
tracker-url = URL
tracker-tier = Nível
tracker-status = Status
tracker-peers = Pares
tracker-seeds = Sementes
tracker-leechers = Sanguessugas
tracker-next = Próximo anúncio
tracker-warning = Aviso
tracker-not-contacted = Ainda não contatado
tracker-updating = Atualizando…
tracker-working = Funcionando
tracker-error = Erro: { $reason }
peer-address = Endereço
peer-client = Cliente
peer-flags = Sinalizadores
peer-progress = Progresso
peer-downloaded = Baixado
peer-source = Origem
source-tracker = Tracker
source-manual = Manual
source-incoming = Entrada
source-dht = DHT
source-pex = PEX
source-magnet = Link magnet
file-path = Caminho
file-priority = Prioridade
priority-skip = Não baixar
priority-low = Baixa
priority-normal = Normal
priority-high = Alta
menu-recheck = Forçar verificação
menu-reannounce = Forçar anúncio
menu-sequential = Download sequencial
menu-first-last = Primeiras e últimas partes primeiro
menu-open-folder = Abrir pasta
menu-move-data = Mover dados…
dialog-move-data = Escolha a nova pasta para os dados
menu-copy-magnet = Copiar link magnet
menu-copy-hash = Copiar hash de informação
dialog-add-title = Adicionar novo torrent
dialog-choose-files = Escolher os arquivos a baixar
dialog-choose-folder = Escolher a pasta de download
dialog-save-in = Salvar em
dialog-browse = Procurar…
dialog-start = Iniciar torrent
dialog-sequential = Download sequencial
dialog-first-last = Primeiras e últimas partes primeiro
dialog-select-all = Selecionar todos
dialog-select-none = Selecionar nenhum
dialog-files-later = Os arquivos serão listados quando os metadados chegarem do enxame.
dialog-size-unknown = Desconhecido até os metadados chegarem
dialog-size-value = { $total } (selecionado: { $selected })
dialog-waiting = { $count ->
    [one] Mais um torrent aguardando
   *[other] Mais { $count } torrents aguardando
}
dialog-ok = OK
error-bad-magnet = Link magnet inválido: { $reason }
error-bad-torrent = { $path } não é um torrent utilizável: { $reason }
error-read-torrent = Não foi possível ler { $path }: { $reason }
error-open-folder = Não foi possível abrir { $path }: { $reason }
error-no-file-manager = Não foi possível abrir { $path }: { $program } não está instalado.
error-no-files-selected = Selecione pelo menos um arquivo para baixar.

## Preferences
toolbar-preferences = Preferências
prefs-title = Preferências
prefs-tab-general = Geral
prefs-tab-connection = Conexão
prefs-tab-bittorrent = BitTorrent
prefs-language = Idioma
prefs-language-system = Padrão do sistema
prefs-theme = Tema
prefs-theme-system = Seguir o sistema
prefs-theme-light = Claro
prefs-theme-dark = Escuro
prefs-save-path = Salvar novos torrents em
prefs-save-path-absolute = A pasta de downloads deve ser um caminho completo (por exemplo /home/voce/Downloads).
prefs-show-add-dialog = Mostrar a janela de adicionar para novos torrents
prefs-confirm-remove = Perguntar antes de remover um torrent junto com os dados
prefs-port = Porta de escuta (0 = aleatória)
prefs-max-connections = Máximo de conexões
prefs-max-per-torrent = Máximo de conexões por torrent
prefs-dht = Encontrar pares pela DHT (necessário para links magnet sem tracker)
prefs-restart-note = Estas configurações valem a partir da próxima vez que o Brooklet iniciar.
prefs-connection-note = A porta vale a partir da próxima vez que o Brooklet iniciar; os limites de conexões valem na hora.
prefs-bad-number = { $field }: digite um número inteiro de { $min } a { $max }.
error-settings-save = Não foi possível salvar as preferências: { $reason }

## Desktop notifications
notify-finished = Download concluído
notify-finished-many = { $count ->
    [one] { $count } download concluído
   *[other] { $count } downloads concluídos
}
notify-error = Erro em { $name }
notify-errors-many = { $count ->
    [one] { $count } torrent parado por um erro
   *[other] { $count } torrents parados por erros
}
notify-and-more = …e mais { $count }
notify-metadata = Link magnet pronto
notify-metadata-body = { $name }: a lista de arquivos chegou.
notify-open-folder = Abrir pasta
prefs-notify-finished = Avisar quando um download terminar ou um link magnet estiver pronto
prefs-notify-errors = Avisar quando um torrent parar por um erro
warning-notifications = as notificações da área de trabalho não estão disponíveis ({ $reason }); o Brooklet continua sem elas.

## Speed tab
speed-download = Download
speed-upload = Upload
speed-window = Últimos 5 minutos
speed-this-torrent = Este torrent
speed-all-torrents = Todos os torrents
speed-peak = Pico: { $rate }

## Tray and start-up
tray-show-hide = Mostrar / ocultar o Brooklet
tray-pause-all = Pausar tudo
tray-resume-all = Retomar tudo
tray-alt-speed = Limites de velocidade alternativos
tray-quit = Sair do Brooklet
confirm-quit = Sair do Brooklet? Downloads e semeadura param até você abri-lo de novo.
confirm-quit-yes = Sair
prefs-tab-desktop = Área de trabalho
prefs-close-to-tray = Fechar a janela mantém o Brooklet rodando na bandeja
prefs-start-minimized = Iniciar com a janela oculta na bandeja
prefs-start-on-login = Iniciar o Brooklet ao entrar na sessão
prefs-tray-missing = Nenhuma bandeja do sistema foi encontrada: fechar a janela encerra o Brooklet (após perguntar), e ele sempre inicia com a janela visível.
prefs-handlers = Abrir arquivos .torrent e links magnet com o Brooklet
prefs-handlers-button = Tornar padrão
prefs-handlers-done = O Brooklet agora abre arquivos .torrent e links magnet.
error-handlers = Não foi possível tornar o Brooklet o padrão: { $reason }
error-autostart = Não foi possível mudar o início ao entrar na sessão: { $reason }
warning-no-tray = nenhuma bandeja do sistema ({ $reason }); fechar a janela encerra o Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Limites de velocidade (download e seed):
      --max-down RATE, --max-up RATE
          Limita o download ou o upload a RATE bytes por segundo: um número inteiro com uma
          unidade opcional, como 500K ou 1M (0: sem limite).
prefs-tab-speed = Velocidade
prefs-speed-global = Limites globais
prefs-speed-alt = Limites alternativos
prefs-speed-down = Download
prefs-speed-up = Upload
prefs-speed-units = Limites em KiB/s; 0 significa sem limite.
prefs-speed-scheduled = Usar os limites alternativos conforme esta agenda
prefs-speed-schedule-note = Clique numa hora para alterná-la: as horas destacadas usam os limites alternativos (hora local). Uma troca manual vale até a próxima mudança da agenda.
day-mon = Seg
day-tue = Ter
day-wed = Qua
day-thu = Qui
day-fri = Sex
day-sat = Sáb
day-sun = Dom
limit-none = ∞
status-limits = Limites ↓ { $down } ↑ { $up }
status-alt-speed = Vel. alt.
status-alt-speed-on = Os limites alternativos estão ativos: clique para usar os normais
status-alt-speed-off = Clique para usar os limites alternativos
menu-set-limits = Definir limites…
limits-title = { $count ->
    [one] Limites e metas de semeadura do torrent
   *[other] Limites e metas de semeadura de { $count } torrents
}
limits-down = Limite de download
limits-up = Limite de upload
goal-global = Padrão global
goal-unlimited = Ilimitado
goal-value = Valor próprio
limits-bad-rate = { $field }: digite um número inteiro de KiB/s de 0 a { $max }.

## Create torrent and drag and drop
toolbar-create = Criar torrent
create-title = Criar um novo torrent
create-source = Compartilhar
create-source-placeholder = Um arquivo ou uma pasta
create-pick-file = Arquivo…
create-pick-folder = Pasta…
create-pick-title = Escolha o que compartilhar
create-no-source = Escolha um arquivo ou uma pasta, ou solte-o na janela.
create-scanning = Lendo os arquivos…
create-source-summary = { $files ->
    [one] { $files } arquivo, { $size }
   *[other] { $files } arquivos, { $size }
}
create-trackers = Trackers
create-trackers-hint = Uma URL por linha; uma linha vazia começa um novo nível.
create-piece-size = Tamanho da peça
create-piece-auto = Automático
create-piece-count = { $pieces ->
    [one] { $pieces } peça de { $piece }
   *[other] { $pieces } peças de { $piece }
}
create-comment = Comentário
create-private = Torrent privado
create-start-seeding = Começar a semear
create-create = Criar
create-hashing-title = Criando o torrent…
create-hashing-progress = { $done } de { $total } processados ({ $percent } %)
create-cancelling = Parando…
create-cancelled = Cancelado: nenhum torrent foi criado.
create-done-title = Torrent criado
create-size-pieces = { $size } em { $pieces } peças de { $piece }
create-saved-as = Salvo como
create-not-saved = Ainda não salvo
create-seeding = Semeando a partir dos arquivos originais, sem verificação.
create-save = Salvar…
create-save-beside = Salvar ao lado dos arquivos
create-save-title = Salvar o torrent como
create-copy-magnet = Copiar link magnet
create-close = Fechar
create-bad-tracker = A linha { $line } não é uma URL de tracker (http://, https:// ou udp://): { $url }
create-too-many-trackers = Use no máximo { $max } trackers.
create-error-empty = { $path } não contém dados: todos os arquivos estão vazios, ou não há nenhum.
create-error-too-many-files = { $path } contém mais de { $max } arquivos, demais para um torrent.
create-error = Não foi possível criar o torrent: { $reason }
create-error-write = Não é possível gravar { $path }: { $reason }
drop-hint-title = Solte aqui
drop-hint-torrents = Arquivos .torrent são adicionados.
drop-hint-create = Qualquer outro arquivo ou pasta abre “Criar um novo torrent”.
error-paste-nothing = A área de transferência não contém um link magnet nem o caminho de um arquivo .torrent.

## Seeding goals
prefs-seed-goals = Metas de semeadura
prefs-seed-ratio = Parar de semear na proporção
prefs-seed-minutes = Parar de semear após (minutos)
prefs-seed-idle = Parar de semear após inatividade (minutos)
prefs-goal-action = Quando uma meta for atingida
prefs-goal-pause = Pausar o torrent
prefs-goal-remove = Remover o torrent (manter os dados)
prefs-seed-goals-note = Vazio significa nunca. Um torrent que atinge uma meta é pausado ou removido, conforme escolhido; um pausado, retomado à mão, continua semeando.
prefs-bad-ratio = Proporção: digite um número de 0,01 a { $max }, ou deixe vazio.

## Queue
status-queued = Na fila
status-check-queued = Na fila para verificar
status-queued-seed = Na fila (semente)
status-forced-downloading = [F] Baixando
status-forced-seeding = [F] Semeando
menu-force-start = Forçar início
menu-queue-top = Mover para o topo da fila
menu-queue-up = Subir na fila
menu-queue-down = Descer na fila
menu-queue-bottom = Mover para o fim da fila
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = Fila
prefs-queueing = Executar só alguns torrents por vez; os outros esperam na fila
prefs-queue-downloads = Máximo de downloads ativos
prefs-queue-seeds = Máximo de sementes ativas
prefs-queue-active = Máximo de torrents ativos
prefs-queue-ignore-slow = Não contar torrents lentos
prefs-queue-rule = Seguindo a fila, um torrent que ainda baixa ocupa uma vaga de download, um concluído uma vaga de semeadura, e cada um ocupa uma das vagas ativas; se a vaga de que precisa estiver ocupada, ele espera (Na fila). Um torrent é lento quando transferiu menos de 2 KiB/s (recebimento ao baixar, envio ao semear) por um minuto: continua rodando, mas libera a vaga.
prefs-queue-force-note = Torrents pausados, com erro, em verificação (um por vez) e links magnet buscando seus arquivos não ocupam vaga. Forçar início executa um torrent independentemente da fila; Iniciar o devolve à fila.

## Labels
column-label = Rótulo
sidebar-labels = RÓTULOS
sidebar-trackers = RASTREADORES
sidebar-trackerless = Sem rastreador
sidebar-tracker-error = Erro de rastreador
label-empty = Um rótulo precisa de um nome.
label-too-many = No máximo { $max } rótulos.
label-title = Rótulo de { $count } torrent(s)
label-name = Nome
label-name-placeholder = ex.: Linux
label-pick = Rótulos conhecidos
label-colour = Cor
label-save-path = Salvar novos torrents em
label-save-path-placeholder = (a pasta de sempre)
label-note = Limites em KiB/s, 0 = nenhum; um torrent com o rótulo os recebe. A pasta vale para torrents adicionados com o rótulo.
label-clear = Sem rótulo
label-delete = Excluir rótulo
menu-label = Rótulo…
dialog-label = Rótulo
dialog-no-label = (nenhum)

## IP filter and peer bans
cli-usage-ip-filter =
    Filtro de IP (download e seed):
      --ip-filter FILE
          Nunca conectar aos endereços listados em FILE nem aceitá-los: uma lista
          ipfilter.dat do eMule ou .p2p do PeerGuardian.
cli-bad-ip-filter = Filtro de IP: { $reason }
cli-ip-filter-loaded = Filtro de IP: { $ranges } faixas de endereços bloqueadas ({ $bad } linhas ilegíveis ignoradas)
prefs-ip-filter = Ativar filtro de IP
prefs-ip-filter-file = Lista de filtro (ipfilter.dat ou .p2p)
prefs-ip-filter-reload = Recarregar
prefs-ip-filter-off = Nenhum filtro de IP em uso.
prefs-ip-filter-loading = Carregando o filtro de IP…
prefs-ip-filter-loaded = { $ranges } faixas de endereços bloqueadas.
prefs-ip-filter-bad-lines = { $bad } linhas ilegíveis ignoradas (a primeira é a linha { $line }).
prefs-ip-filter-error = Não foi possível carregar o filtro de IP: { $reason }
prefs-ip-filter-no-file = Escolha uma lista de filtro ou desative o filtro de IP.
prefs-blocked-connections = Tentativas de conexão bloqueadas nesta sessão: { $count }
dialog-choose-ip-filter = Escolher uma lista de filtro de IP
dialog-ip-filter-files = Listas de filtro de IP
menu-ban-peer = Banir o par nesta sessão
menu-ban-peer-permanently = Banir o par permanentemente
prefs-banned-peers = Pares banidos: { $count }
prefs-lift-bans = Remover todos os banimentos

## Port reachability
status-port-open = Porta { $port } ✓
status-port-open-tip = Pares se conectaram a nós: a porta está acessível.
status-port-unknown-tip = Nenhum par se conectou a nós ainda. Se isso continuar, a porta pode estar fechada por um roteador ou firewall: encaminhe-a ou ative o UPnP lá.
menu-open = Abrir
error-not-on-disk = { $path } ainda não está no disco.

# Editar os trackers de um torrent
trackers-edit = Editar trackers…
trackers-title = Trackers de { $name }
trackers-hint = Uma URL de anúncio por linha; uma linha vazia começa um novo nível. Os trackers removidos são avisados de que o torrent parou; os novos são consultados na hora.
trackers-bad-url = Não é uma URL de tracker (http://, https:// ou udp:// com um host): { $url }
menu-remove-tracker = Remover tracker
menu-copy-tracker-url = Copiar URL
prefs-announce-all-tiers = Anunciar a todos os trackers de todos os níveis
prefs-announce-all-tiers-note = Desligado: cada anúncio vai ao primeiro tracker que responde, nível por nível (BEP 12). Ligado: todos os trackers de todos os níveis são consultados a cada vez.
prefs-direct-writes = Gravar os downloads sem passar pelo cache de arquivos do sistema
prefs-direct-writes-note = Menos tempo de processador por byte baixado, e um download não tira da memória os arquivos de outros programas. Onde o sistema de arquivos não permite, o cache é usado mesmo assim.
prefs-limit-overhead = Os limites contam também a sobrecarga do protocolo, não só os dados
prefs-move-completed = Mover downloads concluídos para
prefs-torrent-copies = Guardar cópias dos arquivos .torrent em
prefs-folder-absolute = { $field }: a pasta deve ser um caminho completo (por exemplo /home/voce/Concluidos).
prefs-folder-missing = { $field }: escolha uma pasta ou desative a opção.
prefs-pex = Trocar pares com outros pares (PEX)
prefs-pex-note = Vale na hora; torrents privados nunca usam a troca de pares.
prefs-random-port = Usar uma porta aleatória a cada início
