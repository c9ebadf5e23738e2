# Brooklet — Deutsch (German)

## Common words
yes = ja
no = nein

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — ein schneller, schlanker BitTorrent-Client

    Aufruf:
      brooklet info <FILE.torrent|MAGNET> [--json]
          Zeigt, was eine Torrent-Datei oder ein Magnet-Link enthält.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Erstellt einen Torrent aus einer Datei oder einem Ordner. Jeder --tracker bildet
          eine eigene Ebene; durch Kommas getrennte URLs kommen in dieselbe Ebene.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Prüft die Daten auf dem Datenträger gegen einen Torrent; der Exit-Code ist nur
          dann 0, wenn jedes Teil die Prüfung besteht.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Lädt nach DIR herunter (Standard: der aktuelle Ordner); Exit-Code 0, sobald jedes
          Teil verifiziert ist. Mit --seed wird danach bis zum Abbruch weiter geseedet.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Prüft die Daten in DATA_DIR und seedet sie dann bis zum Abbruch.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Lässt Brooklet .torrent-Dateien und Magnet-Links für Sie öffnen (oder macht es rückgängig).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Öffnet das Desktop-Fenster (und fügt die angegebenen Torrents hinzu).

    Umgebungsvariablen:
      BROOKLET_LANG           Sprache der Ausgabe (z. B. de, fr, ja); Standard: die des Systems
      BROOKLET_LOOPBACK_ONLY  auf 1 setzen, um alle Verbindungen auf Loopback-Adressen zu beschränken
cli-unknown-command = unbekannter Befehl `{ $command }` (siehe `brooklet --help`)
cli-missing-argument = fehlendes Argument { $what } (siehe `brooklet --help`)
cli-bad-number = { $option } erwartet eine Anzahl Bytes wie 16384, 256k oder 4M, nicht `{ $value }`
cli-bad-magnet = ungültiger Magnet-Link: { $reason }
cli-cannot-read = `{ $path }` kann nicht gelesen werden: { $reason }
cli-cannot-write = `{ $path }` kann nicht geschrieben werden: { $reason }

## --register-handlers und --unregister-handlers
handlers-wrote = geschrieben: { $path }
handlers-removed = entfernt: { $path }
handlers-kept = behalten: { $path } (nicht von Brooklet geschrieben)
handlers-ran = ausgeführt: { $command }
handlers-tool-missing = { $tool } ist nicht installiert: übersprungen
handlers-tool-failed = { $command } ist fehlgeschlagen, es geht ohne weiter: { $reason }
handlers-default-set = Brooklet öffnet jetzt { $kind }
handlers-default-unset = Brooklet öffnet { $kind } nicht mehr
handlers-registry-wrote = Registrierungsschlüssel geschrieben: { $key }
handlers-registry-removed = Registrierungsschlüssel entfernt: { $key }
handlers-not-needed = unter macOS nichts zu tun: Brooklet.app meldet .torrent-Dateien und Magnet-Links in seiner Info.plist an
handlers-error-exe = das laufende Programm ist nicht auffindbar: { $reason }
handlers-error-path = der Programmpfad `{ $path }` passt nicht in einen Desktop-Eintrag (verschieben Sie Brooklet in einen Pfad ohne Zeilenumbrüche)
handlers-error-no-home = kein Home-Ordner: setzen Sie HOME oder XDG_DATA_HOME
handlers-error-remove = `{ $path }` kann nicht entfernt werden: { $reason }
handlers-error-tool-missing = { $tool } ist nicht installiert (installieren Sie das Paket { $package })
handlers-error-command = `{ $command }` ist fehlgeschlagen: { $reason }
handlers-error-registry = der Registrierungsschlüssel { $key } lässt sich nicht ändern: { $reason }
cli-torrent-too-large = größer als 10 MiB und damit zu groß für eine Torrent-Datei
cli-bad-torrent = `{ $path }` ist kein verwendbarer Torrent: { $reason }

cli-bad-port = --port erwartet eine Zahl von 0 bis 65535, nicht { $value }
cli-bad-peer = ungültige Peer-Adresse `{ $peer }`: { $reason }
cli-peer-not-loopback = Peer `{ $peer }` hat keine Loopback-Adresse, aber BROOKLET_LOOPBACK_ONLY ist gesetzt
cli-listening = warte auf Verbindungen an Port { $port }
cli-stopping = Beenden: Tracker werden benachrichtigt, Dateien geschrieben…
cli-interrupted = abgebrochen, bevor der Download fertig war
engine-stopped = die Engine wurde unerwartet beendet

## Progress
progress-hashing = Hashen
progress-checking = Prüfen

## brooklet info
info-name = Name
info-hash = Info-Hash
info-magnet = Magnet-Link
info-size = Größe
info-size-value = { $size } ({ $bytes } Bytes) in { $files ->
    [one] einer Datei
   *[other] { $files } Dateien
}
info-pieces = Teile
info-pieces-value = { $count } × { $size }
info-private = Privat
info-version = Version
info-hybrid = Hybrid v1 + v2 (v1 wird verwendet)
info-tracker = Tracker (Ebene { $tier })
info-web-seed = Webseed
info-peer = Peer
info-comment = Kommentar
info-created-by = Erstellt mit
info-created-on = Erstellt am
info-files = Dateien
info-selected-files = Dateiauswahl
info-magnet-no-metadata = Die Dateiliste kommt mit den Metadaten aus dem Schwarm.

## brooklet create
create-done = { $path } geschrieben: { $size } in { $pieces ->
        [one] einem Teil
       *[other] { $pieces } Teilen
    } zu { $piece_size }, gehasht mit { $rate }.

## brooklet verify
verify-summary = { $have } von { $total ->
        [one] { $total } Teil
       *[other] { $total } Teilen
    } verifiziert ({ $rate }).
verify-read-error = Teil { $piece }: { $reason }
verify-incomplete = { $missing ->
    [one] ein Teil fehlt oder ist beschädigt
   *[other] { $missing } Teile fehlen oder sind beschädigt
}

## brooklet download / seed
download-done = { $name } heruntergeladen: { $size } in { $seconds } s ({ $rate }).
download-resumed = Gespeicherten Fortschritt übernommen: { $have } von { $total } Stücken, keine Hash-Prüfung nötig.
download-checked = Vorhandene Daten geprüft: { $have } von { $total } Stücken bestätigt.
seed-ready = { $name } wird geseedet. Zum Beenden Strg+C drücken.
seed-incomplete = die Daten sind unvollständig ({ $missing ->
        [one] { $missing } Teil fehlt oder ist beschädigt
       *[other] { $missing } Teile fehlen oder sind beschädigt
    }); `brooklet download` kann den Rest laden
peer-banned = Peer { $addr } gesperrt, weil er Daten mit falscher Prüfsumme gesendet hat
bar-metadata = Metadaten werden von { $peers } Peers geladen
bar-checking = Prüfe { $percent } %
bar-seeding = Seeden ↑ { $up }, { $uploaded } hochgeladen, { $peers ->
        [one] { $peers } Peer
       *[other] { $peers } Peers
    }
bar-downloading = [{ $bar }] { $percent } % { $done }/{ $total } ↓ { $down } { $peers ->
        [one] { $peers } Peer
       *[other] { $peers } Peers
    }, Restzeit { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Torrent hinzufügen
toolbar-add-magnet = Link hinzufügen
toolbar-start = Starten
toolbar-pause = Pausieren
toolbar-stop = Stoppen
toolbar-remove = Entfernen
toolbar-remove-data = Mit Daten entfernen
filter-placeholder = Filtern (Ctrl+F)
magnet-label = Magnet-Link:
magnet-add = Hinzufügen
dismiss = Schließen
cancel = Abbrechen
list-empty = Noch keine Torrents. Fügen Sie einen mit „Torrent hinzufügen“ (Ctrl+O) hinzu oder öffnen Sie eine .torrent-Datei.
column-number = #
column-name = Name
column-size = Größe
column-done = Fortschritt
column-status = Status
column-seeds = Seeds
column-peers = Peers
column-down = DL-Geschw.
column-up = UL-Geschw.
column-eta = Restzeit
column-ratio = Verhältnis
column-uploaded = Hochgeladen
category-all = Alle
category-downloading = Herunterladen
category-seeding = Seeden
category-completed = Abgeschlossen
category-active = Aktiv
category-inactive = Inaktiv
category-paused = Pausiert
category-errored = Fehlerhaft
status-metadata = Metadaten werden geladen
status-checking = Prüfen
status-moving = Verschieben { $percent } %
status-stalled = Stockt
status-downloading = Herunterladen
status-seeding = Seeden
status-finished = Fertig
status-paused = Pausiert
status-stopped = Gestoppt
status-error = Fehler
status-error-retrying = Fehler (neuer Versuch in { $seconds } s)
details-none = Wählen Sie einen Torrent aus, um seine Details zu sehen.
details-general = Allgemein
details-name = Name
details-hash = Info-Hash
details-pieces = Teile
details-wasted = Verworfen
details-peers = Verbindungen
details-peers-value = { $peers ->
        [one] { $peers } Peer
       *[other] { $peers } Peers
    }, { $seeds ->
        [one] { $seeds } Seed
       *[other] { $seeds } Seeds
    }, { $banned } gesperrt
details-error = Letzter Fehler
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Frei: { $size }
status-torrents = Torrents: { $count }
status-port = Port { $port }
status-starting = Wird gestartet…
confirm-remove-data = { $count ->
    [one] Diesen Torrent entfernen und seine heruntergeladenen Dateien löschen?
   *[other] { $count } Torrents entfernen und ihre heruntergeladenen Dateien löschen?
}
confirm-remove-data-yes = Entfernen und löschen
dialog-add-torrent = Torrents hinzufügen
dialog-torrent-files = Torrent-Dateien
error-engine-stopped = Die Übertragungs-Engine wurde beendet.
error-engine-not-ready = Die Übertragungs-Engine startet noch; bitte gleich noch einmal versuchen.
error-engine-start = Die Übertragungs-Engine konnte nicht gestartet werden: { $reason }
error-save-folder = Der Download-Ordner { $path } kann nicht verwendet werden: { $reason }
error-window = das Fenster kann nicht geöffnet werden: { $reason }
error-no-display = keine grafische Anzeige: weder DISPLAY noch WAYLAND_DISPLAY ist gesetzt. Starten Sie Brooklet in einer Desktop-Sitzung oder nutzen Sie die Befehlszeile (brooklet --help).
error-instance-refused = das laufende Brooklet hat die Anfrage abgelehnt.
error-instance-unreachable = das laufende Brooklet ist nicht erreichbar: { $reason }
warning-instance-endpoint = der Endpunkt für die Einzelinstanz lässt sich nicht einrichten ({ $reason }); ein zweiter Start öffnet ein weiteres Fenster.

## Desktop app: details panel, context menus, add dialog
column-added = Hinzugefügt am
column-completed = Abgeschlossen am
column-save-path = Speicherort
toolbar-show-details = Details zeigen
toolbar-hide-details = Details ausblenden
status-dht = { $nodes ->
    [one] DHT: ein Knoten
   *[other] DHT: { $nodes } Knoten
}
details-trackers = Tracker
details-peers-tab = Peers
details-pieces-tab = Teile
details-files = Dateien
details-transfer = Übertragung
details-downloaded = Heruntergeladen
details-uploaded = Hochgeladen
details-ratio = Verhältnis
details-speed = Geschwindigkeit
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } ({ $have } vorhanden)
details-pieces-have = { $have } von { $total }
details-save-path = Speichern unter
details-size = Gesamtgröße
details-comment = Kommentar
details-created-by = Erstellt mit
details-created-on = Erstellt am
details-added-on = Hinzugefügt am
details-completed-on = Abgeschlossen am
details-magnet = Magnet-Link
details-many = { $count ->
    [one] Ein Torrent ausgewählt.
   *[other] { $count } Torrents ausgewählt.
}
details-waiting = Warte auf die Details von der Übertragungs-Engine…
details-no-metadata = Hier erscheint etwas, sobald die Metadaten aus dem Schwarm da sind.
details-no-trackers = Dieser Torrent hat keine Tracker.
details-no-peers = Keine Peers verbunden.
peer-add = Peer hinzufügen
peer-add-placeholder = IP:Port
peer-add-bad = „{ $address }“ ist keine Peer-Adresse: Geben Sie eine IP und einen Port ein, etwa 203.0.113.5:6881 oder [2001:db8::1]:6881.
limits-max-peers = Max. verbundene Peers
limits-max-peers-note = 0 = der Standardwert aus Einstellungen → Verbindung.
limits-bad-peers = Max. verbundene Peers muss eine ganze Zahl von 0 bis { $max } sein.
details-pieces-summary = { $have } von { $total } Teilen zu je { $size }
pieces-have = Vorhanden
pieces-downloading = Wird geladen
pieces-missing = Fehlt
tracker-url = URL
tracker-tier = Stufe
tracker-status = Status
tracker-peers = Peers
tracker-seeds = Seeds
tracker-leechers = Leecher
tracker-next = Nächste Meldung
tracker-warning = Warnung
tracker-not-contacted = Noch nicht kontaktiert
tracker-updating = Wird aktualisiert…
tracker-working = Funktioniert
tracker-error = Fehler: { $reason }
peer-address = Adresse
peer-client = Client
peer-flags = Flags
peer-progress = Fortschritt
peer-downloaded = Heruntergeladen
peer-source = Quelle
source-tracker = Tracker
source-manual = Manuell
source-incoming = Eingehend
source-dht = DHT
source-pex = PEX
source-magnet = Magnet-Link
file-path = Pfad
file-priority = Priorität
priority-skip = Nicht herunterladen
priority-low = Niedrig
priority-normal = Normal
priority-high = Hoch
menu-recheck = Erneut prüfen
menu-reannounce = Jetzt beim Tracker melden
menu-sequential = Der Reihe nach herunterladen
menu-first-last = Erste und letzte Teile zuerst
menu-open-folder = Ordner öffnen
menu-move-data = Daten verschieben…
dialog-move-data = Neuen Ordner für die Daten wählen
menu-copy-magnet = Magnet-Link kopieren
menu-copy-hash = Info-Hash kopieren
dialog-add-title = Neuen Torrent hinzufügen
dialog-choose-files = Dateien zum Herunterladen wählen
dialog-choose-folder = Download-Ordner wählen
dialog-save-in = Speichern in
dialog-browse = Durchsuchen…
dialog-start = Torrent starten
dialog-sequential = Der Reihe nach herunterladen
dialog-first-last = Erste und letzte Teile zuerst
dialog-select-all = Alle auswählen
dialog-select-none = Keine auswählen
dialog-files-later = Die Dateien werden aufgelistet, sobald die Metadaten aus dem Schwarm da sind.
dialog-size-unknown = Unbekannt, bis die Metadaten da sind
dialog-size-value = { $total } (ausgewählt: { $selected })
dialog-waiting = { $count ->
    [one] Ein weiterer Torrent wartet
   *[other] { $count } weitere Torrents warten
}
dialog-ok = OK
error-bad-magnet = Ungültiger Magnet-Link: { $reason }
error-bad-torrent = { $path } ist kein verwendbarer Torrent: { $reason }
error-read-torrent = { $path } kann nicht gelesen werden: { $reason }
error-open-folder = { $path } kann nicht geöffnet werden: { $reason }
error-no-file-manager = { $path } kann nicht geöffnet werden: { $program } ist nicht installiert.
error-no-files-selected = Wählen Sie mindestens eine Datei zum Herunterladen aus.

## Preferences
toolbar-preferences = Einstellungen
prefs-title = Einstellungen
prefs-tab-general = Allgemein
prefs-tab-connection = Verbindung
prefs-tab-bittorrent = BitTorrent
prefs-language = Sprache
prefs-language-system = Systemstandard
prefs-theme = Design
prefs-theme-system = Dem System folgen
prefs-theme-light = Hell
prefs-theme-dark = Dunkel
prefs-save-path = Neue Torrents speichern in
prefs-save-path-absolute = Der Download-Ordner muss ein vollständiger Pfad sein (zum Beispiel /home/du/Downloads).
prefs-show-add-dialog = Für neue Torrents den Hinzufügen-Dialog zeigen
prefs-confirm-remove = Vor dem Entfernen eines Torrents samt Daten nachfragen
prefs-port = Port für eingehende Verbindungen (0 = zufällig)
prefs-max-connections = Maximale Verbindungen
prefs-max-per-torrent = Maximale Verbindungen pro Torrent
prefs-dht = Peers über das DHT finden (nötig für Magnet-Links ohne Tracker)
prefs-restart-note = Diese Einstellungen gelten ab dem nächsten Start von Brooklet.
prefs-connection-note = Der Port gilt ab dem nächsten Start von Brooklet; Verbindungsgrenzen gelten sofort.
prefs-bad-number = { $field }: Bitte eine ganze Zahl von { $min } bis { $max } eingeben.
error-settings-save = Die Einstellungen konnten nicht gespeichert werden: { $reason }

## Desktop notifications
notify-finished = Download abgeschlossen
notify-finished-many = { $count ->
    [one] { $count } Download abgeschlossen
   *[other] { $count } Downloads abgeschlossen
}
notify-error = Fehler bei { $name }
notify-errors-many = { $count ->
    [one] { $count } Torrent wegen eines Fehlers angehalten
   *[other] { $count } Torrents wegen Fehlern angehalten
}
notify-and-more = …und { $count } weitere
notify-metadata = Magnet-Link bereit
notify-metadata-body = { $name }: Die Dateiliste ist angekommen.
notify-open-folder = Ordner öffnen
prefs-notify-finished = Benachrichtigen, wenn ein Download fertig oder ein Magnet-Link bereit ist
prefs-notify-errors = Benachrichtigen, wenn ein Torrent wegen eines Fehlers anhält
warning-notifications = Desktop-Benachrichtigungen sind nicht verfügbar ({ $reason }); Brooklet läuft ohne sie weiter.

## Speed tab
speed-download = Download
speed-upload = Upload
speed-window = Letzte 5 Minuten
speed-this-torrent = Dieser Torrent
speed-all-torrents = Alle Torrents
speed-peak = Höchstwert: { $rate }

## Tray and start-up
tray-show-hide = Brooklet zeigen / verbergen
tray-pause-all = Alle anhalten
tray-resume-all = Alle fortsetzen
tray-alt-speed = Alternative Geschwindigkeitsbegrenzung
tray-quit = Brooklet beenden
confirm-quit = Brooklet beenden? Downloads und Seeding stoppen, bis du es wieder startest.
confirm-quit-yes = Beenden
prefs-tab-desktop = Desktop
prefs-close-to-tray = Beim Schließen des Fensters im Infobereich weiterlaufen
prefs-start-minimized = Mit verborgenem Fenster im Infobereich starten
prefs-start-on-login = Brooklet bei der Anmeldung starten
prefs-tray-missing = Kein Infobereich gefunden: Das Schließen des Fensters beendet Brooklet (nach Rückfrage), und es startet immer mit sichtbarem Fenster.
prefs-handlers = .torrent-Dateien und Magnet-Links mit Brooklet öffnen
prefs-handlers-button = Als Standard festlegen
prefs-handlers-done = Brooklet öffnet jetzt .torrent-Dateien und Magnet-Links.
error-handlers = Brooklet konnte nicht als Standard festgelegt werden: { $reason }
error-autostart = Der Start bei der Anmeldung konnte nicht geändert werden: { $reason }
warning-no-tray = kein Infobereich ({ $reason }); das Schließen des Fensters beendet Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Geschwindigkeitsbegrenzung (download und seed):
      --max-down RATE, --max-up RATE
          Herunter- bzw. Hochladen auf RATE Bytes pro Sekunde begrenzen: eine ganze Zahl mit
          optionaler Einheit, z. B. 500K oder 1M (0: keine Begrenzung).
prefs-tab-speed = Geschwindigkeit
prefs-speed-global = Globale Begrenzung
prefs-speed-alt = Alternative Begrenzung
prefs-speed-down = Runter
prefs-speed-up = Hoch
prefs-speed-units = Begrenzung in KiB/s; 0 heißt unbegrenzt.
prefs-speed-scheduled = Nach diesem Zeitplan zur alternativen Begrenzung wechseln
prefs-speed-schedule-note = Klicken Sie auf eine Stunde, um sie umzuschalten: markierte Stunden nutzen die alternative Begrenzung (Ortszeit). Umschalten von Hand gilt bis zur nächsten Änderung im Zeitplan.
day-mon = Mo
day-tue = Di
day-wed = Mi
day-thu = Do
day-fri = Fr
day-sat = Sa
day-sun = So
limit-none = ∞
status-limits = Begrenzung ↓ { $down } ↑ { $up }
status-alt-speed = Alt. Tempo
status-alt-speed-on = Die alternative Begrenzung ist aktiv: klicken für die normale
status-alt-speed-off = Klicken für die alternative Begrenzung
menu-set-limits = Begrenzung festlegen…
limits-title = { $count ->
    [one] Begrenzungen und Seed-Ziele des Torrents
   *[other] Begrenzungen und Seed-Ziele von { $count } Torrents
}
limits-down = Download-Begrenzung
limits-up = Upload-Begrenzung
goal-global = Globale Vorgabe
goal-unlimited = Unbegrenzt
goal-value = Eigener Wert
limits-bad-rate = { $field }: Geben Sie eine ganze Zahl in KiB/s von 0 bis { $max } ein.

## Create torrent and drag and drop
toolbar-create = Torrent erstellen
create-title = Neuen Torrent erstellen
create-source = Freigeben
create-source-placeholder = Eine Datei oder ein Ordner
create-pick-file = Datei…
create-pick-folder = Ordner…
create-pick-title = Wählen Sie, was Sie freigeben
create-no-source = Wählen Sie eine Datei oder einen Ordner, oder ziehen Sie ihn auf das Fenster.
create-scanning = Dateien werden gelesen…
create-source-summary = { $files ->
    [one] { $files } Datei, { $size }
   *[other] { $files } Dateien, { $size }
}
create-trackers = Tracker
create-trackers-hint = Eine URL pro Zeile; eine Leerzeile beginnt eine neue Stufe.
create-piece-size = Stückgröße
create-piece-auto = Automatisch
create-piece-count = { $pieces ->
    [one] { $pieces } Stück zu { $piece }
   *[other] { $pieces } Stücke zu { $piece }
}
create-comment = Kommentar
create-private = Privater Torrent
create-start-seeding = Seeden beginnen
create-create = Erstellen
create-hashing-title = Torrent wird erstellt…
create-hashing-progress = { $done } von { $total } geprüft ({ $percent } %)
create-cancelling = Wird angehalten…
create-cancelled = Abgebrochen: Es wurde kein Torrent erstellt.
create-done-title = Torrent erstellt
create-size-pieces = { $size } in { $pieces } Stücken zu { $piece }
create-saved-as = Gespeichert als
create-not-saved = Noch nicht gespeichert
create-seeding = Wird aus den Originaldateien geseedet, ohne Prüfung.
create-save = Speichern…
create-save-beside = Neben den Dateien speichern
create-save-title = Torrent speichern unter
create-copy-magnet = Magnet-Link kopieren
create-close = Schließen
create-bad-tracker = Zeile { $line } ist keine Tracker-URL (http://, https:// oder udp://): { $url }
create-too-many-trackers = Höchstens { $max } Tracker verwenden.
create-error-empty = { $path } enthält keine Daten: Alle Dateien sind leer, oder es gibt keine.
create-error-too-many-files = { $path } enthält mehr als { $max } Dateien, zu viele für einen Torrent.
create-error = Der Torrent konnte nicht erstellt werden: { $reason }
create-error-write = { $path } kann nicht geschrieben werden: { $reason }
drop-hint-title = Hier ablegen
drop-hint-torrents = .torrent-Dateien werden hinzugefügt.
drop-hint-create = Jede andere Datei und jeder Ordner öffnet „Neuen Torrent erstellen“.
error-paste-nothing = Die Zwischenablage enthält keinen Magnet-Link und keinen Pfad zu einer .torrent-Datei.

## Seeding goals
prefs-seed-goals = Seed-Ziele
prefs-seed-ratio = Seeden beim Verhältnis beenden
prefs-seed-minutes = Seeden beenden nach (Minuten)
prefs-seed-idle = Seeden beenden nach Leerlauf (Minuten)
prefs-goal-action = Wenn ein Ziel erreicht ist
prefs-goal-pause = Torrent anhalten
prefs-goal-remove = Torrent entfernen (Daten behalten)
prefs-seed-goals-note = Leer bedeutet nie. Ein Torrent, der ein Ziel erreicht, wird wie gewählt angehalten oder entfernt; ein angehaltener seedet von Hand fortgesetzt weiter.
prefs-bad-ratio = Verhältnis: gib eine Zahl von 0,01 bis { $max } ein oder lass das Feld leer.

## Queue
status-queued = Warteschlange
status-check-queued = Wartet auf Prüfung
status-queued-seed = Warteschlange (Seed)
status-forced-downloading = [E] Lädt herunter
status-forced-seeding = [E] Verteilt
menu-force-start = Erzwungen starten
menu-queue-top = An den Anfang der Warteschlange
menu-queue-up = In der Warteschlange nach oben
menu-queue-down = In der Warteschlange nach unten
menu-queue-bottom = An das Ende der Warteschlange
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = Warteschlange
prefs-queueing = Nur so viele Torrents gleichzeitig ausführen; die übrigen warten in der Warteschlange
prefs-queue-downloads = Maximal aktive Downloads
prefs-queue-seeds = Maximal aktive Seeds
prefs-queue-active = Maximal aktive Torrents
prefs-queue-ignore-slow = Langsame Torrents nicht mitzählen
prefs-queue-rule = Der Warteschlange nach belegt ein Torrent, der noch lädt, einen Download-Platz, ein fertiger einen Seed-Platz, und jeder einen der aktiven Plätze; ist ein benötigter Platz belegt, wartet er (Warteschlange). Langsam ist ein Torrent, der eine Minute lang weniger als 2 KiB/s bewegt hat (Download-Rate beim Download, Upload-Rate beim Seed): Er läuft weiter, gibt aber seinen Platz frei.
prefs-queue-force-note = Angehaltene Torrents, Fehler, Hash-Prüfungen (eine nach der anderen) und Magnet-Links, deren Dateiliste noch geladen wird, belegen keinen Platz. Erzwungen starten führt einen Torrent unabhängig von der Warteschlange aus; Starten gibt ihn an die Warteschlange zurück.

## Labels
column-label = Label
sidebar-labels = LABELS
sidebar-trackers = TRACKER
sidebar-trackerless = Ohne Tracker
sidebar-tracker-error = Tracker-Fehler
label-empty = Ein Label braucht einen Namen.
label-too-many = Höchstens { $max } Labels.
label-title = Label für { $count } Torrent(s)
label-name = Name
label-name-placeholder = z. B. Linux
label-pick = Bekannte Labels
label-colour = Farbe
label-save-path = Neue Torrents speichern in
label-save-path-placeholder = (der übliche Ordner)
label-note = Limits in KiB/s, 0 = keins; ein Torrent mit dem Label erhält sie. Der Ordner gilt für Torrents, die mit dem Label hinzugefügt werden.
label-clear = Kein Label
label-delete = Label löschen
menu-label = Label…
dialog-label = Label
dialog-no-label = (keins)

## IP filter and peer bans
cli-usage-ip-filter =
    IP-Filter (download und seed):
      --ip-filter FILE
          Nie mit den in FILE aufgeführten Adressen verbinden und keine von ihnen annehmen:
          eine eMule-ipfilter.dat oder eine PeerGuardian-.p2p-Liste.
cli-bad-ip-filter = IP-Filter: { $reason }
cli-ip-filter-loaded = IP-Filter: { $ranges } Adressbereiche gesperrt ({ $bad } unlesbare Zeilen übersprungen)
prefs-ip-filter = IP-Filter aktivieren
prefs-ip-filter-file = Filterliste (ipfilter.dat oder .p2p)
prefs-ip-filter-reload = Neu laden
prefs-ip-filter-off = Kein IP-Filter aktiv.
prefs-ip-filter-loading = IP-Filter wird geladen…
prefs-ip-filter-loaded = { $ranges } Adressbereiche gesperrt.
prefs-ip-filter-bad-lines = { $bad } unlesbare Zeilen übersprungen (die erste ist Zeile { $line }).
prefs-ip-filter-error = Der IP-Filter konnte nicht geladen werden: { $reason }
prefs-ip-filter-no-file = Wähle eine Filterliste oder schalte den IP-Filter aus.
prefs-blocked-connections = Abgewiesene Verbindungsversuche in dieser Sitzung: { $count }
dialog-choose-ip-filter = IP-Filterliste wählen
dialog-ip-filter-files = IP-Filterlisten
menu-ban-peer = Peer für diese Sitzung sperren
menu-ban-peer-permanently = Peer dauerhaft sperren
prefs-banned-peers = Gesperrte Peers: { $count }
prefs-lift-bans = Alle Sperren aufheben

## Port reachability
status-port-open = Port { $port } ✓
status-port-open-tip = Peers haben sich mit uns verbunden: Der Port ist erreichbar.
status-port-unknown-tip = Noch hat sich kein Peer mit uns verbunden. Bleibt das so, ist der Port vielleicht von einem Router oder einer Firewall blockiert: leiten Sie ihn weiter oder schalten Sie dort UPnP ein.
menu-open = Öffnen
error-not-on-disk = { $path } ist noch nicht auf der Festplatte.

# Tracker eines Torrents bearbeiten
trackers-edit = Tracker bearbeiten…
trackers-title = Tracker von { $name }
trackers-hint = Eine Announce-URL pro Zeile; eine leere Zeile beginnt eine neue Stufe. Entfernte Tracker erfahren, dass der Torrent gestoppt wurde; neue werden sofort gefragt.
trackers-bad-url = Keine Tracker-URL (http://, https:// oder udp:// mit Host): { $url }
menu-remove-tracker = Tracker entfernen
menu-copy-tracker-url = URL kopieren
prefs-announce-all-tiers = An alle Tracker aller Stufen melden
prefs-announce-all-tiers-note = Aus: jede Meldung geht an den ersten Tracker, der antwortet, Stufe für Stufe (BEP 12). Ein: jeder Tracker jeder Stufe wird jedes Mal gefragt.
prefs-direct-writes = Downloads am Datei-Cache des Systems vorbei schreiben
prefs-direct-writes-note = Weniger Prozessorzeit je geladenem Byte, und ein Download verdrängt die Dateien anderer Programme nicht aus dem Speicher. Wo das Dateisystem es nicht kann, wird der Cache trotzdem genutzt.
prefs-limit-overhead = Limits zählen auch den Protokoll-Overhead, nicht nur Daten
prefs-move-completed = Fertige Downloads verschieben nach
prefs-torrent-copies = Kopien der .torrent-Dateien aufbewahren in
prefs-folder-absolute = { $field }: Der Ordner muss ein vollständiger Pfad sein (zum Beispiel /home/du/Fertig).
prefs-folder-missing = { $field }: Wähle einen Ordner oder schalte die Option aus.
prefs-pex = Peers mit anderen Peers austauschen (PEX)
prefs-pex-note = Gilt sofort; private Torrents nutzen nie Peer-Austausch.
prefs-random-port = Bei jedem Start einen zufälligen Port verwenden
