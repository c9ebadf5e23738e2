# Brooklet — Français (French)

## Common words
yes = oui
no = non

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — un client BitTorrent rapide et léger

    Utilisation :
      brooklet info <FILE.torrent|MAGNET> [--json]
          Affiche le contenu d’un fichier torrent ou d’un lien magnet.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Crée un torrent à partir d’un fichier ou d’un dossier. Chaque --tracker forme son
          propre niveau ; séparez les URL par des virgules pour les mettre au même niveau.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Vérifie les données sur le disque par rapport à un torrent ; le code de sortie
          n’est 0 que si toutes les pièces sont valides.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Télécharge dans DIR (par défaut : le dossier courant) ; le code de sortie est 0 une
          fois toutes les pièces vérifiées. Avec --seed, continue à partager jusqu’à interruption.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Vérifie les données de DATA_DIR, puis les partage jusqu’à interruption.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Fait ouvrir les fichiers .torrent et les liens magnet par Brooklet (ou l’annule).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Ouvre la fenêtre de bureau (en y ajoutant les torrents indiqués).

    Environnement :
      BROOKLET_LANG           langue à utiliser (p. ex. de, fr, ja) ; par défaut : celle du système
      BROOKLET_LOOPBACK_ONLY  mettre à 1 pour limiter toutes les connexions aux adresses de bouclage
cli-unknown-command = commande inconnue `{ $command }` (essayez `brooklet --help`)
cli-missing-argument = argument manquant : { $what } (essayez `brooklet --help`)
cli-bad-number = { $option } attend un nombre d’octets comme 16384, 256k ou 4M, et non `{ $value }`
cli-bad-magnet = lien magnet invalide : { $reason }
cli-cannot-read = impossible de lire `{ $path }` : { $reason }
cli-cannot-write = impossible d’écrire `{ $path }` : { $reason }

## --register-handlers et --unregister-handlers
handlers-wrote = écrit : { $path }
handlers-removed = supprimé : { $path }
handlers-kept = conservé : { $path } (pas écrit par Brooklet)
handlers-ran = exécuté : { $command }
handlers-tool-missing = { $tool } n’est pas installé : étape sautée
handlers-tool-failed = { $command } a échoué, on continue sans : { $reason }
handlers-default-set = Brooklet ouvre désormais { $kind }
handlers-default-unset = Brooklet n’ouvre plus { $kind }
handlers-registry-wrote = clé de registre écrite : { $key }
handlers-registry-removed = clé de registre supprimée : { $key }
handlers-not-needed = rien à faire sous macOS : Brooklet.app déclare les fichiers .torrent et les liens magnet dans son Info.plist
handlers-error-exe = impossible de trouver le programme en cours : { $reason }
handlers-error-path = le chemin du programme `{ $path }` ne peut pas figurer dans une entrée de bureau (déplacez Brooklet vers un chemin sans saut de ligne)
handlers-error-no-home = aucun dossier personnel : définissez HOME ou XDG_DATA_HOME
handlers-error-remove = impossible de supprimer `{ $path }` : { $reason }
handlers-error-tool-missing = { $tool } n’est pas installé (installez le paquet { $package })
handlers-error-command = `{ $command }` a échoué : { $reason }
handlers-error-registry = impossible de modifier la clé de registre { $key } : { $reason }
cli-torrent-too-large = plus de 10 MiB, c’est trop gros pour un fichier torrent
cli-bad-torrent = `{ $path }` n’est pas un torrent utilisable : { $reason }

cli-bad-port = --port attend un nombre entre 0 et 65535, et non { $value }
cli-bad-peer = adresse de pair invalide `{ $peer }` : { $reason }
cli-peer-not-loopback = le pair `{ $peer }` n’est pas sur une adresse de bouclage alors que BROOKLET_LOOPBACK_ONLY est défini
cli-listening = écoute sur le port { $port }
cli-stopping = Arrêt : information des trackers et écriture des fichiers…
cli-interrupted = interrompu avant la fin du téléchargement
engine-stopped = le moteur s’est arrêté de façon inattendue

## Progress
progress-hashing = Hachage
progress-checking = Vérification

## brooklet info
info-name = Nom
info-hash = Hachage de l’info
info-magnet = Lien magnet
info-size = Taille
info-size-value = { $size } ({ $bytes } octets) dans { $files ->
    [one] { $files } fichier
   *[other] { $files } fichiers
}
info-pieces = Pièces
info-pieces-value = { $count } × { $size }
info-private = Privé
info-version = Version
info-hybrid = hybride v1 + v2 (v1 utilisée)
info-tracker = Tracker (niveau { $tier })
info-web-seed = Source web
info-peer = Pair
info-comment = Commentaire
info-created-by = Créé avec
info-created-on = Créé le
info-files = Fichiers
info-selected-files = Sélection
info-magnet-no-metadata = La liste des fichiers arrivera avec les métadonnées, depuis l’essaim.

## brooklet create
create-done = { $path } écrit : { $size } en { $pieces ->
        [one] { $pieces } pièce
       *[other] { $pieces } pièces
    } de { $piece_size }, hachage à { $rate }.

## brooklet verify
verify-summary = { $have ->
        [one] { $have } pièce vérifiée
       *[other] { $have } pièces vérifiées
    } sur { $total } ({ $rate }).
verify-read-error = pièce { $piece } : { $reason }
verify-incomplete = { $missing ->
    [one] { $missing } pièce est manquante ou endommagée
   *[other] { $missing } pièces sont manquantes ou endommagées
}

## brooklet download / seed
download-done = { $name } téléchargé : { $size } en { $seconds } s ({ $rate }).
download-resumed = Reprise depuis la progression enregistrée : { $have } pièces sur { $total }, sans vérification des hachages.
download-checked = Données existantes vérifiées : { $have } pièces sur { $total } confirmées.
seed-ready = Partage de { $name } en cours. Appuyez sur Ctrl+C pour arrêter.
seed-incomplete = les données sont incomplètes ({ $missing ->
        [one] { $missing } pièce manquante ou endommagée
       *[other] { $missing } pièces manquantes ou endommagées
    }) ; `brooklet download` peut récupérer le reste
peer-banned = pair { $addr } banni pour avoir envoyé des données au hachage incorrect
bar-metadata = Téléchargement des métadonnées depuis { $peers } pairs
bar-checking = Vérification { $percent } %
bar-seeding = Partage ↑ { $up }, { $uploaded } envoyés, { $peers ->
        [one] { $peers } pair
       *[other] { $peers } pairs
    }
bar-downloading = [{ $bar }] { $percent } % { $done }/{ $total } ↓ { $down } { $peers ->
        [one] { $peers } pair
       *[other] { $peers } pairs
    }, reste { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Ajouter un torrent
toolbar-add-magnet = Ajouter un lien
toolbar-start = Démarrer
toolbar-pause = Mettre en pause
toolbar-stop = Arrêter
toolbar-remove = Retirer
toolbar-remove-data = Retirer avec les données
filter-placeholder = Filtrer (Ctrl+F)
magnet-label = Lien magnet :
magnet-add = Ajouter
dismiss = Fermer
cancel = Annuler
list-empty = Aucun torrent pour l’instant. Ajoutez-en un avec « Ajouter un torrent » (Ctrl+O) ou en ouvrant un fichier .torrent.
column-number = #
column-name = Nom
column-size = Taille
column-done = Progression
column-status = État
column-seeds = Sources
column-peers = Pairs
column-down = Vitesse de réception
column-up = Vitesse d’envoi
column-eta = Temps restant
column-ratio = Ratio
column-uploaded = Envoyé
category-all = Tous
category-downloading = En téléchargement
category-seeding = En partage
category-completed = Terminés
category-active = Actifs
category-inactive = Inactifs
category-paused = En pause
category-errored = En erreur
status-metadata = Téléchargement des métadonnées
status-checking = Vérification
status-moving = Déplacement { $percent } %
status-stalled = Bloqué
status-downloading = Téléchargement
status-seeding = Partage
status-finished = Terminé
status-paused = En pause
status-stopped = Arrêté
status-error = Erreur
status-error-retrying = Erreur (nouvel essai dans { $seconds } s)
details-none = Sélectionnez un torrent pour afficher ses détails.
details-general = Général
details-name = Nom
details-hash = Hachage de l’info
details-pieces = Pièces
details-wasted = Gaspillé
details-peers = Connexions
details-peers-value = { $peers ->
        [one] { $peers } pair
       *[other] { $peers } pairs
    }, { $seeds ->
        [one] { $seeds } source
       *[other] { $seeds } sources
    }, { $banned ->
        [one] { $banned } banni
       *[other] { $banned } bannis
    }
details-error = Dernière erreur
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Libre : { $size }
status-torrents = Torrents : { $count }
status-port = Port { $port }
status-starting = Démarrage…
confirm-remove-data = { $count ->
    [one] Retirer ce torrent et supprimer ses fichiers téléchargés ?
   *[other] Retirer { $count } torrents et supprimer leurs fichiers téléchargés ?
}
confirm-remove-data-yes = Retirer et supprimer
dialog-add-torrent = Ajouter des torrents
dialog-torrent-files = Fichiers torrent
error-engine-stopped = Le moteur de transfert s’est arrêté.
error-engine-not-ready = Le moteur de transfert est encore en train de démarrer ; réessayez dans un instant.
error-engine-start = Le moteur de transfert n’a pas pu démarrer : { $reason }
error-save-folder = Impossible d’utiliser le dossier de téléchargement { $path } : { $reason }
error-window = impossible d’ouvrir la fenêtre : { $reason }
error-no-display = aucun affichage graphique : ni DISPLAY ni WAYLAND_DISPLAY n’est défini. Lancez Brooklet dans une session de bureau ou utilisez la ligne de commande (brooklet --help).
error-instance-refused = le Brooklet en cours d’exécution a refusé la demande.
error-instance-unreachable = impossible de joindre le Brooklet en cours d’exécution : { $reason }
warning-instance-endpoint = impossible de préparer le point d’accès d’instance unique ({ $reason }) ; un second lancement ouvrira une autre fenêtre.

## Desktop app: details panel, context menus, add dialog
column-added = Ajouté le
column-completed = Terminé le
column-save-path = Dossier
toolbar-show-details = Afficher les détails
toolbar-hide-details = Masquer les détails
status-dht = { $nodes ->
    [one] DHT : un nœud
   *[other] DHT : { $nodes } nœuds
}
details-trackers = Trackers
details-peers-tab = Pairs
details-pieces-tab = Pièces
details-files = Fichiers
details-transfer = Transfert
details-downloaded = Reçu
details-uploaded = Envoyé
details-ratio = Ratio de partage
details-speed = Vitesse
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } ({ $have } reçues)
details-pieces-have = { $have } sur { $total }
details-save-path = Enregistré sous
details-size = Taille totale
details-comment = Commentaire
details-created-by = Créé avec
details-created-on = Créé le
details-added-on = Ajouté le
details-completed-on = Terminé le
details-magnet = Lien magnet
details-many = { $count ->
    [one] Un torrent sélectionné.
   *[other] { $count } torrents sélectionnés.
}
details-waiting = En attente des détails du moteur de transfert…
details-no-metadata = Rien à afficher avant l’arrivée des métadonnées depuis l’essaim.
details-no-trackers = Ce torrent n’a aucun tracker.
details-no-peers = Aucun pair connecté.
peer-add = Ajouter un pair
peer-add-placeholder = IP:port
peer-add-bad = « { $address } » n’est pas une adresse de pair : saisissez une IP et un port, par exemple 203.0.113.5:6881 ou [2001:db8::1]:6881.
limits-max-peers = Pairs connectés max.
limits-max-peers-note = 0 = la valeur par défaut de Préférences → Connexion.
limits-bad-peers = Le nombre max. de pairs connectés doit être un entier de 0 à { $max }.
details-pieces-summary = { $have } pièces sur { $total }, de { $size } chacune
pieces-have = Reçue
pieces-downloading = En cours
pieces-missing = Manquante
tracker-url = URL
tracker-tier = Niveau
tracker-status = État
tracker-peers = Pairs
tracker-seeds = Sources
tracker-leechers = Clients
tracker-next = Prochaine annonce
tracker-warning = Avertissement
tracker-not-contacted = Pas encore contacté
tracker-updating = Mise à jour…
tracker-working = Fonctionne
tracker-error = Erreur : { $reason }
peer-address = Adresse
peer-client = Logiciel
peer-flags = Indicateurs
peer-progress = Progression
peer-downloaded = Reçu
peer-source = Origine
source-tracker = Tracker
source-manual = Manuel
source-incoming = Entrant
source-dht = DHT
source-pex = PEX
source-magnet = Lien magnet
file-path = Chemin
file-priority = Priorité
priority-skip = Ne pas télécharger
priority-low = Basse
priority-normal = Normale
priority-high = Haute
menu-recheck = Forcer la vérification
menu-reannounce = Forcer l’annonce
menu-sequential = Téléchargement séquentiel
menu-first-last = Premiers et derniers morceaux d’abord
menu-open-folder = Ouvrir le dossier
menu-move-data = Déplacer les données…
dialog-move-data = Choisir le nouveau dossier des données
menu-copy-magnet = Copier le lien magnet
menu-copy-hash = Copier le hachage de l’info
dialog-add-title = Ajouter un nouveau torrent
dialog-choose-files = Choisir les fichiers à télécharger
dialog-choose-folder = Choisir le dossier de téléchargement
dialog-save-in = Enregistrer dans
dialog-browse = Parcourir…
dialog-start = Démarrer le torrent
dialog-sequential = Téléchargement séquentiel
dialog-first-last = Premiers et derniers morceaux d’abord
dialog-select-all = Tout sélectionner
dialog-select-none = Ne rien sélectionner
dialog-files-later = Les fichiers seront listés à l’arrivée des métadonnées depuis l’essaim.
dialog-size-unknown = Inconnue avant l’arrivée des métadonnées
dialog-size-value = { $total } (sélection : { $selected })
dialog-waiting = { $count ->
    [one] Encore un torrent en attente
   *[other] Encore { $count } torrents en attente
}
dialog-ok = OK
error-bad-magnet = Lien magnet invalide : { $reason }
error-bad-torrent = { $path } n’est pas un torrent utilisable : { $reason }
error-read-torrent = Impossible de lire { $path } : { $reason }
error-open-folder = Impossible d’ouvrir { $path } : { $reason }
error-no-file-manager = Impossible d’ouvrir { $path } : { $program } n’est pas installé.
error-no-files-selected = Sélectionnez au moins un fichier à télécharger.

## Preferences
toolbar-preferences = Préférences
prefs-title = Préférences
prefs-tab-general = Général
prefs-tab-connection = Connexion
prefs-tab-bittorrent = BitTorrent
prefs-language = Langue
prefs-language-system = Langue du système
prefs-theme = Thème
prefs-theme-system = Suivre le système
prefs-theme-light = Clair
prefs-theme-dark = Sombre
prefs-save-path = Enregistrer les nouveaux torrents dans
prefs-save-path-absolute = Le dossier de téléchargement doit être un chemin complet (par exemple /home/vous/Téléchargements).
prefs-show-add-dialog = Afficher la fenêtre d’ajout pour les nouveaux torrents
prefs-confirm-remove = Demander avant de supprimer un torrent avec ses données
prefs-port = Port d’écoute (0 = aléatoire)
prefs-max-connections = Nombre maximal de connexions
prefs-max-per-torrent = Nombre maximal de connexions par torrent
prefs-dht = Trouver des pairs via la DHT (nécessaire aux liens magnet sans tracker)
prefs-restart-note = Ces réglages prennent effet au prochain démarrage de Brooklet.
prefs-connection-note = Le port prend effet au prochain démarrage de Brooklet ; les limites de connexions s’appliquent tout de suite.
prefs-bad-number = { $field } : saisissez un nombre entier de { $min } à { $max }.
error-settings-save = Impossible d’enregistrer les préférences : { $reason }

## Desktop notifications
notify-finished = Téléchargement terminé
notify-finished-many = { $count ->
    [one] { $count } téléchargement terminé
   *[other] { $count } téléchargements terminés
}
notify-error = Erreur dans { $name }
notify-errors-many = { $count ->
    [one] { $count } torrent arrêté par une erreur
   *[other] { $count } torrents arrêtés par des erreurs
}
notify-and-more = …et { $count } de plus
notify-metadata = Lien magnet prêt
notify-metadata-body = { $name } : la liste des fichiers est arrivée.
notify-open-folder = Ouvrir le dossier
prefs-notify-finished = Avertir quand un téléchargement se termine ou qu’un lien magnet est prêt
prefs-notify-errors = Avertir quand un torrent s’arrête sur une erreur
warning-notifications = les notifications du bureau sont indisponibles ({ $reason }) ; Brooklet continue sans elles.

## Speed tab
speed-download = Réception
speed-upload = Envoi
speed-window = 5 dernières minutes
speed-this-torrent = Ce torrent
speed-all-torrents = Tous les torrents
speed-peak = Maximum : { $rate }

## Tray and start-up
tray-show-hide = Afficher / masquer Brooklet
tray-pause-all = Tout mettre en pause
tray-resume-all = Tout reprendre
tray-alt-speed = Limites de vitesse alternatives
tray-quit = Quitter Brooklet
confirm-quit = Quitter Brooklet ? Les téléchargements et le partage s’arrêtent jusqu’à son prochain démarrage.
confirm-quit-yes = Quitter
prefs-tab-desktop = Bureau
prefs-close-to-tray = Fermer la fenêtre laisse Brooklet tourner dans la zone de notification
prefs-start-minimized = Démarrer avec la fenêtre masquée dans la zone de notification
prefs-start-on-login = Lancer Brooklet à l’ouverture de session
prefs-tray-missing = Aucune zone de notification trouvée : fermer la fenêtre quitte Brooklet (après confirmation), et il démarre toujours avec sa fenêtre visible.
prefs-handlers = Ouvrir les fichiers .torrent et les liens magnet avec Brooklet
prefs-handlers-button = Par défaut
prefs-handlers-done = Brooklet ouvre désormais les fichiers .torrent et les liens magnet.
error-handlers = Brooklet n’a pas pu devenir le programme par défaut : { $reason }
error-autostart = Le lancement à l’ouverture de session n’a pas pu être modifié : { $reason }
warning-no-tray = pas de zone de notification ({ $reason }) ; fermer la fenêtre quitte Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Limites de vitesse (download et seed) :
      --max-down RATE, --max-up RATE
          Limite le téléchargement ou l’envoi à RATE octets par seconde : un nombre entier avec
          une unité facultative, comme 500K ou 1M (0 : pas de limite).
prefs-tab-speed = Vitesse
prefs-speed-global = Limites globales
prefs-speed-alt = Limites alternatives
prefs-speed-down = Réception
prefs-speed-up = Envoi
prefs-speed-units = Limites en Kio/s ; 0 signifie aucune limite.
prefs-speed-scheduled = Passer aux limites alternatives selon ce planning
prefs-speed-schedule-note = Cliquez sur une heure pour la basculer : les heures en surbrillance utilisent les limites alternatives (heure locale). Une bascule à la main tient jusqu’au prochain changement du planning.
day-mon = Lun
day-tue = Mar
day-wed = Mer
day-thu = Jeu
day-fri = Ven
day-sat = Sam
day-sun = Dim
limit-none = ∞
status-limits = Limites ↓ { $down } ↑ { $up }
status-alt-speed = Vit. alt.
status-alt-speed-on = Les limites alternatives sont actives : cliquez pour revenir aux limites normales
status-alt-speed-off = Cliquez pour utiliser les limites alternatives
menu-set-limits = Définir les limites…
limits-title = { $count ->
    [one] Limites et objectifs de partage du torrent
   *[other] Limites et objectifs de partage de { $count } torrents
}
limits-down = Limite de réception
limits-up = Limite d’envoi
goal-global = Valeur globale
goal-unlimited = Illimité
goal-value = Valeur propre
limits-bad-rate = { $field } : saisissez un nombre entier de Kio/s entre 0 et { $max }.

## Create torrent and drag and drop
toolbar-create = Créer un torrent
create-title = Créer un nouveau torrent
create-source = Partager
create-source-placeholder = Un fichier ou un dossier
create-pick-file = Fichier…
create-pick-folder = Dossier…
create-pick-title = Choisissez ce que vous partagez
create-no-source = Choisissez un fichier ou un dossier, ou déposez-le sur la fenêtre.
create-scanning = Lecture des fichiers…
create-source-summary = { $files ->
    [one] { $files } fichier, { $size }
   *[other] { $files } fichiers, { $size }
}
create-trackers = Trackers
create-trackers-hint = Une URL par ligne ; une ligne vide commence un nouveau niveau.
create-piece-size = Taille des pièces
create-piece-auto = Automatique
create-piece-count = { $pieces ->
    [one] { $pieces } pièce de { $piece }
   *[other] { $pieces } pièces de { $piece }
}
create-comment = Commentaire
create-private = Torrent privé
create-start-seeding = Commencer à partager
create-create = Créer
create-hashing-title = Création du torrent…
create-hashing-progress = { $done } sur { $total } hachés ({ $percent } %)
create-cancelling = Arrêt…
create-cancelled = Annulé : aucun torrent n’a été créé.
create-done-title = Torrent créé
create-size-pieces = { $size } en { $pieces } pièces de { $piece }
create-saved-as = Enregistré sous
create-not-saved = Pas encore enregistré
create-seeding = Partagé depuis les fichiers d’origine, sans vérification.
create-save = Enregistrer…
create-save-beside = Enregistrer à côté des fichiers
create-save-title = Enregistrer le torrent sous
create-copy-magnet = Copier le lien magnet
create-close = Fermer
create-bad-tracker = La ligne { $line } n’est pas une URL de tracker (http://, https:// ou udp://) : { $url }
create-too-many-trackers = Utilisez au plus { $max } trackers.
create-error-empty = { $path } ne contient aucune donnée : ses fichiers sont tous vides, ou il n’y en a aucun.
create-error-too-many-files = { $path } contient plus de { $max } fichiers, trop pour un seul torrent.
create-error = Le torrent n’a pas pu être créé : { $reason }
create-error-write = Impossible d’écrire { $path } : { $reason }
drop-hint-title = Déposez ici
drop-hint-torrents = Les fichiers .torrent sont ajoutés.
drop-hint-create = Tout autre fichier ou dossier ouvre « Créer un nouveau torrent ».
error-paste-nothing = Le presse-papiers ne contient ni lien magnet ni chemin de fichier .torrent.

## Seeding goals
prefs-seed-goals = Objectifs de partage
prefs-seed-ratio = Arrêter le partage au ratio
prefs-seed-minutes = Arrêter le partage après (minutes)
prefs-seed-idle = Arrêter le partage après inactivité (minutes)
prefs-goal-action = Quand un objectif est atteint
prefs-goal-pause = Mettre le torrent en pause
prefs-goal-remove = Retirer le torrent (garder les données)
prefs-seed-goals-note = Vide signifie jamais. Un torrent qui atteint un objectif est mis en pause ou retiré, selon le choix ; repris à la main, un torrent en pause continue de partager.
prefs-bad-ratio = Ratio : saisissez un nombre de 0,01 à { $max }, ou laissez vide.

## Queue
status-queued = En file d'attente
status-check-queued = En attente de vérification
status-queued-seed = En file d'attente (source)
status-forced-downloading = [F] Téléchargement
status-forced-seeding = [F] Partage
menu-force-start = Forcer le démarrage
menu-queue-top = Placer en tête de file
menu-queue-up = Monter dans la file
menu-queue-down = Descendre dans la file
menu-queue-bottom = Placer en fin de file
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = File d'attente
prefs-queueing = N'exécuter que quelques torrents à la fois ; les autres attendent dans la file
prefs-queue-downloads = Téléchargements actifs au maximum
prefs-queue-seeds = Partages actifs au maximum
prefs-queue-active = Torrents actifs au maximum
prefs-queue-ignore-slow = Ne pas compter les torrents lents
prefs-queue-rule = En suivant la file, un torrent qui télécharge encore prend une place de téléchargement, un torrent terminé une place de partage, et chacun prend une des places actives ; si une place dont il a besoin est prise, il attend (En file d'attente). Un torrent est lent s'il a transféré moins de 2 Kio/s (réception pour un téléchargement, envoi pour un partage) pendant une minute : il continue mais libère sa place.
prefs-queue-force-note = Les torrents en pause, en erreur, en vérification (un à la fois) et les liens magnet qui cherchent leurs fichiers ne prennent pas de place. Forcer le démarrage lance un torrent quoi que dise la file ; Démarrer le rend à la file.

## Labels
column-label = Étiquette
sidebar-labels = ÉTIQUETTES
sidebar-trackers = TRACKERS
sidebar-trackerless = Sans tracker
sidebar-tracker-error = Erreur de tracker
label-empty = Une étiquette doit avoir un nom.
label-too-many = { $max } étiquettes au plus.
label-title = Étiquette de { $count } torrent(s)
label-name = Nom
label-name-placeholder = ex. Linux
label-pick = Étiquettes connues
label-colour = Couleur
label-save-path = Enregistrer les nouveaux torrents dans
label-save-path-placeholder = (le dossier habituel)
label-note = Limites en Kio/s, 0 = aucune ; un torrent qui reçoit l'étiquette les reçoit aussi. Le dossier sert aux torrents ajoutés avec l'étiquette.
label-clear = Sans étiquette
label-delete = Supprimer l'étiquette
menu-label = Étiquette…
dialog-label = Étiquette
dialog-no-label = (aucune)

## IP filter and peer bans
cli-usage-ip-filter =
    Filtre IP (download et seed) :
      --ip-filter FILE
          Ne jamais se connecter aux adresses listées dans FILE ni les accepter :
          une liste eMule ipfilter.dat ou PeerGuardian .p2p.
cli-bad-ip-filter = Filtre IP : { $reason }
cli-ip-filter-loaded = Filtre IP : { $ranges } plages d’adresses bloquées ({ $bad } lignes illisibles ignorées)
prefs-ip-filter = Activer le filtre IP
prefs-ip-filter-file = Liste de filtrage (ipfilter.dat ou .p2p)
prefs-ip-filter-reload = Recharger
prefs-ip-filter-off = Aucun filtre IP en service.
prefs-ip-filter-loading = Chargement du filtre IP…
prefs-ip-filter-loaded = { $ranges } plages d’adresses bloquées.
prefs-ip-filter-bad-lines = { $bad } lignes illisibles ignorées (la première est la ligne { $line }).
prefs-ip-filter-error = Le filtre IP n’a pas pu être chargé : { $reason }
prefs-ip-filter-no-file = Choisissez une liste de filtrage, ou désactivez le filtre IP.
prefs-blocked-connections = Tentatives de connexion bloquées pendant cette session : { $count }
dialog-choose-ip-filter = Choisir une liste de filtrage IP
dialog-ip-filter-files = Listes de filtrage IP
menu-ban-peer = Bannir ce pair pour cette session
menu-ban-peer-permanently = Bannir ce pair définitivement
prefs-banned-peers = Pairs bannis : { $count }
prefs-lift-bans = Lever tous les bannissements

## Port reachability
status-port-open = Port { $port } ✓
status-port-open-tip = Des pairs se sont connectés à nous : le port est joignable.
status-port-unknown-tip = Aucun pair ne s'est encore connecté à nous. Si cela dure, le port est peut-être fermé par un routeur ou un pare-feu : redirigez-le ou activez-y l'UPnP.
menu-open = Ouvrir
error-not-on-disk = { $path } n'est pas encore sur le disque.

# Modifier les trackers d'un torrent
trackers-edit = Modifier les trackers…
trackers-title = Trackers de { $name }
trackers-hint = Une URL d'annonce par ligne ; une ligne vide commence un nouveau niveau. Les trackers retirés apprennent que le torrent s'est arrêté ; les nouveaux sont interrogés aussitôt.
trackers-bad-url = Ce n'est pas une URL de tracker (http://, https:// ou udp:// avec un hôte) : { $url }
menu-remove-tracker = Retirer le tracker
menu-copy-tracker-url = Copier l'URL
prefs-announce-all-tiers = Annoncer à tous les trackers de tous les niveaux
prefs-announce-all-tiers-note = Désactivé : chaque annonce va au premier tracker qui répond, niveau par niveau (BEP 12). Activé : tous les trackers de tous les niveaux sont interrogés à chaque fois.
prefs-direct-writes = Écrire les téléchargements sans passer par le cache de fichiers du système
prefs-direct-writes-note = Moins de temps processeur par octet téléchargé, et un téléchargement ne chasse pas de la mémoire les fichiers des autres programmes. Là où le système de fichiers ne le permet pas, le cache sert quand même.
prefs-limit-overhead = Les limites comptent aussi la surcharge du protocole, pas seulement les données
prefs-move-completed = Déplacer les téléchargements terminés vers
prefs-torrent-copies = Garder une copie des fichiers .torrent dans
prefs-folder-absolute = { $field } : le dossier doit être un chemin complet (par exemple /home/vous/Terminés).
prefs-folder-missing = { $field } : choisissez un dossier, ou désactivez l’option.
prefs-pex = Échanger des pairs avec les autres pairs (PEX)
prefs-pex-note = S’applique immédiatement ; les torrents privés n’utilisent jamais l’échange de pairs.
prefs-random-port = Utiliser un port aléatoire à chaque démarrage
