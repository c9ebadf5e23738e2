# Brooklet — English (reference locale). Every other locale has exactly these keys.

## Common words
yes = yes
no = no

## Command line
cli-usage =
    Brooklet — a fast, light BitTorrent client

    Usage:
      brooklet info <FILE.torrent|MAGNET> [--json]
          Show what a torrent file or magnet link holds.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Make a torrent of a file or folder. Each --tracker is its own tier;
          separate URLs with commas to put them in one tier.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Check data on disk against a torrent; exits 0 only when every piece verifies.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Download into DIR (default: the current folder); exits 0 once every piece is verified.
          With --seed, keeps seeding until interrupted.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Check the data in DATA_DIR, then seed it until interrupted.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Make Brooklet open .torrent files and magnet links for you (or undo it).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Open the desktop window (adding the torrents given).

    Environment:
      BROOKLET_LANG           language to use (e.g. de, fr, ja); default: the system's
      BROOKLET_LOOPBACK_ONLY  set to 1 to keep every connection on loopback addresses
cli-unknown-command = unknown command `{ $command }` (try `brooklet --help`)
cli-missing-argument = missing argument { $what } (try `brooklet --help`)
cli-bad-number = { $option } needs a number of bytes such as 16384, 256k or 4M, not `{ $value }`
cli-bad-magnet = bad magnet link: { $reason }
cli-cannot-read = cannot read `{ $path }`: { $reason }
cli-cannot-write = cannot write `{ $path }`: { $reason }

## --register-handlers and --unregister-handlers
handlers-wrote = wrote { $path }
handlers-removed = removed { $path }
handlers-kept = kept { $path }: Brooklet did not write it
handlers-ran = ran { $command }
handlers-tool-missing = { $tool } is not installed: skipped
handlers-tool-failed = { $command } failed, going on without it: { $reason }
handlers-default-set = Brooklet now opens { $kind }
handlers-default-unset = Brooklet no longer opens { $kind }
handlers-registry-wrote = wrote registry key { $key }
handlers-registry-removed = removed registry key { $key }
handlers-not-needed = nothing to do on macOS: Brooklet.app declares .torrent files and magnet links in its Info.plist
handlers-error-exe = cannot find the running program: { $reason }
handlers-error-path = the program's path `{ $path }` cannot go into a desktop entry (move Brooklet to a path without line breaks)
handlers-error-no-home = no home folder: set HOME or XDG_DATA_HOME
handlers-error-remove = cannot remove `{ $path }`: { $reason }
handlers-error-tool-missing = { $tool } is not installed (install the package { $package })
handlers-error-command = `{ $command }` failed: { $reason }
handlers-error-registry = cannot change the registry key { $key }: { $reason }
cli-torrent-too-large = it is larger than 10 MiB, too large for a torrent file
cli-bad-torrent = `{ $path }` is not a usable torrent: { $reason }

cli-bad-port = --port needs a number from 0 to 65535, not { $value }
cli-bad-peer = bad peer address `{ $peer }`: { $reason }
cli-peer-not-loopback = peer `{ $peer }` is not on a loopback address and BROOKLET_LOOPBACK_ONLY is set
cli-listening = listening on port { $port }
cli-stopping = Stopping: telling the trackers and flushing files…
cli-interrupted = interrupted before the download finished
engine-stopped = the engine stopped unexpectedly

## Progress
progress-hashing = Hashing
progress-checking = Checking

## brooklet info
info-name = Name
info-hash = Info-hash
info-magnet = Magnet
info-size = Size
info-size-value = { $size } ({ $bytes } bytes) in { $files ->
    [one] one file
   *[other] { $files } files
}
info-pieces = Pieces
info-pieces-value = { $count } × { $size }
info-private = Private
info-version = Version
info-hybrid = hybrid v1 + v2 (using v1)
info-tracker = Tracker (tier { $tier })
info-web-seed = Web seed
info-peer = Peer
info-comment = Comment
info-created-by = Created by
info-created-on = Created on
info-files = Files
info-selected-files = Selected files
info-magnet-no-metadata = The file list arrives with the metadata from the swarm.

## brooklet create
create-done = Wrote { $path }: { $size } in { $pieces } pieces of { $piece_size }, hashed at { $rate }.

## brooklet verify
verify-summary = { $have } of { $total } pieces verified ({ $rate }).
verify-read-error = piece { $piece }: { $reason }
verify-incomplete = { $missing ->
    [one] one piece is missing or damaged
   *[other] { $missing } pieces are missing or damaged
}

## brooklet download / seed
download-done = Downloaded { $name }: { $size } in { $seconds } s ({ $rate }).
download-resumed = Resumed from saved progress: { $have } of { $total } pieces, no hash check needed.
download-checked = Checked the existing data: { $have } of { $total } pieces verified.
seed-ready = Seeding { $name }. Press Ctrl+C to stop.
seed-incomplete = the data is incomplete ({ $missing } pieces missing or damaged); `brooklet download` can fetch the rest
peer-banned = banned peer { $addr } for sending data that failed the hash check
bar-metadata = Downloading metadata from { $peers } peers
bar-checking = Checking { $percent }%
bar-seeding = Seeding ↑ { $up }, { $uploaded } uploaded, { $peers } peers
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } { $peers } peers ETA { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Add torrent
toolbar-add-magnet = Add link
toolbar-start = Start
toolbar-pause = Pause
toolbar-stop = Stop
toolbar-remove = Remove
toolbar-remove-data = Remove with data
filter-placeholder = Filter (Ctrl+F)
magnet-label = Magnet link:
magnet-add = Add
dismiss = Dismiss
cancel = Cancel
list-empty = No torrents yet. Add one with “Add torrent” (Ctrl+O) or by opening a .torrent file.
column-number = #
column-name = Name
column-size = Size
column-done = Done
column-status = Status
column-seeds = Seeds
column-peers = Peers
column-down = Down speed
column-up = Up speed
column-eta = ETA
column-ratio = Ratio
column-uploaded = Uploaded
category-all = All
category-downloading = Downloading
category-seeding = Seeding
category-completed = Completed
category-active = Active
category-inactive = Inactive
category-paused = Paused
category-errored = Errored
status-metadata = Downloading metadata
status-checking = Checking
status-moving = Moving { $percent }%
status-stalled = Stalled
status-downloading = Downloading
status-seeding = Seeding
status-finished = Finished
status-paused = Paused
status-stopped = Stopped
status-error = Error
status-error-retrying = Error (retry in { $seconds } s)
details-none = Select a torrent to see its details.
details-general = General
details-name = Name
details-hash = Info-hash
details-pieces = Pieces
details-wasted = Wasted
details-peers = Connections
details-peers-value = { $peers } peers, { $seeds } seeds, { $banned } banned
details-error = Last error
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Free: { $size }
status-torrents = Torrents: { $count }
status-port = Port { $port }
status-starting = Starting…
confirm-remove-data = { $count ->
    [one] Remove this torrent and delete its downloaded files?
   *[other] Remove { $count } torrents and delete their downloaded files?
}
confirm-remove-data-yes = Remove and delete
dialog-add-torrent = Add torrents
dialog-torrent-files = Torrent files
error-engine-stopped = The transfer engine has stopped.
error-engine-not-ready = The transfer engine is still starting; try again in a moment.
error-engine-start = The transfer engine could not start: { $reason }
error-save-folder = Cannot use the download folder { $path }: { $reason }
error-window = cannot open the window: { $reason }
error-no-display = no graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set. Run it in a desktop session, or use the command line (brooklet --help).
error-instance-refused = the running Brooklet refused the request.
error-instance-unreachable = cannot reach the running Brooklet: { $reason }
warning-instance-endpoint = cannot set up the single-instance endpoint ({ $reason }); a second launch will open another window.

## Desktop app: details panel, context menus, add dialog
column-added = Added on
column-completed = Completed on
column-save-path = Save path
toolbar-show-details = Show details
toolbar-hide-details = Hide details
status-dht = { $nodes ->
    [one] DHT: one node
   *[other] DHT: { $nodes } nodes
}
details-trackers = Trackers
details-peers-tab = Peers
details-pieces-tab = Pieces
details-files = Files
details-transfer = Transfer
details-downloaded = Downloaded
details-uploaded = Uploaded
details-ratio = Share ratio
details-speed = Speed
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } (have { $have })
details-pieces-have = { $have } of { $total }
details-save-path = Save as
details-size = Total size
details-comment = Comment
details-created-by = Created by
details-created-on = Created on
details-added-on = Added on
details-completed-on = Completed on
details-magnet = Magnet link
details-many = { $count ->
    [one] One torrent selected.
   *[other] { $count } torrents selected.
}
details-waiting = Waiting for the details from the transfer engine…
details-no-metadata = Nothing to show until the metadata arrives from the swarm.
details-no-trackers = This torrent has no trackers.
details-no-peers = No peers connected.
peer-add = Add peer
peer-add-placeholder = IP:port
peer-add-bad = “{ $address }” is not a peer address: type an IP and a port, like 203.0.113.5:6881 or [2001:db8::1]:6881.
limits-max-peers = Max connected peers
limits-max-peers-note = 0 = the default from Preferences → Connection.
limits-bad-peers = Max connected peers must be a whole number from 0 to { $max }.
details-pieces-summary = { $have } of { $total } pieces of { $size }
pieces-have = Have
pieces-downloading = Downloading
pieces-missing = Missing
tracker-url = URL
tracker-tier = Tier
tracker-status = Status
tracker-peers = Peers
tracker-seeds = Seeds
tracker-leechers = Leechers
tracker-next = Next announce
tracker-warning = Warning
tracker-not-contacted = Not contacted yet
tracker-updating = Updating…
tracker-working = Working
tracker-error = Error: { $reason }
peer-address = Address
peer-client = Client
peer-flags = Flags
peer-progress = Progress
peer-downloaded = Downloaded
peer-source = Source
source-tracker = Tracker
source-manual = Manual
source-incoming = Incoming
source-dht = DHT
source-pex = PEX
source-magnet = Magnet link
file-path = Path
file-priority = Priority
priority-skip = Don’t download
priority-low = Low
priority-normal = Normal
priority-high = High
menu-recheck = Force recheck
menu-reannounce = Force reannounce
menu-sequential = Sequential download
menu-first-last = First and last pieces first
menu-open-folder = Open containing folder
menu-move-data = Move data…
dialog-move-data = Choose the new folder for the data
menu-copy-magnet = Copy magnet link
menu-copy-hash = Copy info-hash
dialog-add-title = Add new torrent
dialog-choose-files = Choose the files to download
dialog-choose-folder = Choose the download folder
dialog-save-in = Save in
dialog-browse = Browse…
dialog-start = Start torrent
dialog-sequential = Sequential download
dialog-first-last = First and last pieces first
dialog-select-all = Select all
dialog-select-none = Select none
dialog-files-later = The files will be listed when the metadata arrives from the swarm.
dialog-size-unknown = Unknown until the metadata arrives
dialog-size-value = { $total } (selected: { $selected })
dialog-waiting = { $count ->
    [one] One more torrent waiting
   *[other] { $count } more torrents waiting
}
dialog-ok = OK
error-bad-magnet = Bad magnet link: { $reason }
error-bad-torrent = { $path } is not a usable torrent: { $reason }
error-read-torrent = Cannot read { $path }: { $reason }
error-open-folder = Cannot open { $path }: { $reason }
error-no-file-manager = Cannot open { $path }: { $program } is not installed.
error-no-files-selected = Select at least one file to download.

## Preferences
toolbar-preferences = Preferences
prefs-title = Preferences
prefs-tab-general = General
prefs-tab-connection = Connection
prefs-tab-bittorrent = BitTorrent
prefs-language = Language
prefs-language-system = System default
prefs-theme = Theme
prefs-theme-system = Follow the system
prefs-theme-light = Light
prefs-theme-dark = Dark
prefs-save-path = Save new torrents in
prefs-save-path-absolute = The download folder must be a full path (for example /home/you/Downloads).
prefs-show-add-dialog = Show the add-torrent dialog for new torrents
prefs-confirm-remove = Ask before removing a torrent together with its data
prefs-port = Listening port (0 = random)
prefs-max-connections = Maximum connections
prefs-max-per-torrent = Maximum connections per torrent
prefs-dht = Find peers through the DHT (magnet links without trackers need it)
prefs-restart-note = These settings take effect the next time Brooklet starts.
prefs-connection-note = The port takes effect the next time Brooklet starts; connection limits apply at once.
prefs-bad-number = { $field }: enter a whole number from { $min } to { $max }.
error-settings-save = The settings could not be saved: { $reason }

## Desktop notifications
notify-finished = Download finished
notify-finished-many = { $count ->
    [one] { $count } download finished
   *[other] { $count } downloads finished
}
notify-error = Error in { $name }
notify-errors-many = { $count ->
    [one] { $count } torrent stopped with an error
   *[other] { $count } torrents stopped with errors
}
notify-and-more = …and { $count } more
notify-metadata = Magnet link ready
notify-metadata-body = { $name }: the list of files has arrived.
notify-open-folder = Open folder
prefs-notify-finished = Notify when a download finishes or a magnet link is ready
prefs-notify-errors = Notify when a torrent stops with an error
warning-notifications = desktop notifications are unavailable ({ $reason }); Brooklet goes on without them.

## Speed tab
speed-download = Download
speed-upload = Upload
speed-window = Last 5 minutes
speed-this-torrent = This torrent
speed-all-torrents = All torrents
speed-peak = Peak: { $rate }

## Tray and start-up
tray-show-hide = Show / hide Brooklet
tray-pause-all = Pause all
tray-resume-all = Resume all
tray-alt-speed = Alternative speed limits
tray-quit = Quit Brooklet
confirm-quit = Quit Brooklet? Downloads and seeding stop until you start it again.
confirm-quit-yes = Quit
prefs-tab-desktop = Desktop
prefs-close-to-tray = Closing the window keeps Brooklet running in the tray
prefs-start-minimized = Start with the window hidden in the tray
prefs-start-on-login = Start Brooklet when I log in
prefs-tray-missing = No system tray was found: closing the window quits Brooklet (after asking), and it always starts with its window shown.
prefs-handlers = Open .torrent files and magnet links with Brooklet
prefs-handlers-button = Make default
prefs-handlers-done = Brooklet now opens .torrent files and magnet links.
error-handlers = Brooklet could not be made the default: { $reason }
error-autostart = Starting at login could not be changed: { $reason }
warning-no-tray = no system tray ({ $reason }); closing the window quits Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Speed limits (download and seed):
      --max-down RATE, --max-up RATE
          Limit downloading or uploading to RATE bytes per second: a whole number with an
          optional unit, such as 500K or 1M (0: no limit).
prefs-tab-speed = Speed
prefs-speed-global = Global limits
prefs-speed-alt = Alternative limits
prefs-speed-down = Down
prefs-speed-up = Up
prefs-speed-units = Limits in KiB/s; 0 means no limit.
prefs-speed-scheduled = Switch to the alternative limits by this schedule
prefs-speed-schedule-note = Click an hour to switch it: highlighted hours use the alternative limits (local time). Switching by hand holds until the next change in the schedule.
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun
limit-none = ∞
status-limits = Limits ↓ { $down } ↑ { $up }
status-alt-speed = Alt. speed
status-alt-speed-on = Alternative speed limits are on: click to use the normal limits
status-alt-speed-off = Click to use the alternative speed limits
menu-set-limits = Set limits…
limits-title = { $count ->
    [one] Limits and seeding goals of the torrent
   *[other] Limits and seeding goals of { $count } torrents
}
limits-down = Download limit
limits-up = Upload limit
goal-global = Global default
goal-unlimited = Unlimited
goal-value = Own value
limits-bad-rate = { $field }: enter a whole number of KiB/s from 0 to { $max }.

## Create torrent and drag and drop
toolbar-create = Create torrent
create-title = Create a new torrent
create-source = Share
create-source-placeholder = A file or folder
create-pick-file = File…
create-pick-folder = Folder…
create-pick-title = Choose what to share
create-no-source = Choose a file or a folder, or drop one on the window.
create-scanning = Looking at the files…
create-source-summary = { $files ->
    [one] { $files } file, { $size }
   *[other] { $files } files, { $size }
}
create-trackers = Trackers
create-trackers-hint = One URL per line; an empty line starts a new tier.
create-piece-size = Piece size
create-piece-auto = Auto
create-piece-count = { $pieces ->
    [one] { $pieces } piece of { $piece }
   *[other] { $pieces } pieces of { $piece }
}
create-comment = Comment
create-private = Private torrent
create-start-seeding = Start seeding
create-create = Create
create-hashing-title = Creating the torrent…
create-hashing-progress = Hashed { $done } of { $total } ({ $percent } %)
create-cancelling = Stopping…
create-cancelled = Cancelled: no torrent was made.
create-done-title = Torrent created
create-size-pieces = { $size } in { $pieces } pieces of { $piece }
create-saved-as = Saved as
create-not-saved = Not saved yet
create-seeding = Seeding from the original files, without a hash check.
create-save = Save…
create-save-beside = Save next to the files
create-save-title = Save the torrent as
create-copy-magnet = Copy magnet link
create-close = Close
create-bad-tracker = Line { $line } is not a tracker URL (http://, https:// or udp://): { $url }
create-too-many-trackers = Use at most { $max } trackers.
create-error-empty = { $path } holds no data: its files are all empty, or there are none.
create-error-too-many-files = { $path } holds more than { $max } files, too many for one torrent.
create-error = The torrent could not be made: { $reason }
create-error-write = Cannot write { $path }: { $reason }
drop-hint-title = Drop here
drop-hint-torrents = .torrent files are added.
drop-hint-create = Any other file or folder opens “Create a new torrent”.
error-paste-nothing = The clipboard holds no magnet link or .torrent file path.

## Seeding goals
prefs-seed-goals = Seeding goals
prefs-seed-ratio = Stop seeding at share ratio
prefs-seed-minutes = Stop seeding after (minutes)
prefs-seed-idle = Stop seeding after idle (minutes)
prefs-goal-action = When a goal is reached
prefs-goal-pause = Pause the torrent
prefs-goal-remove = Remove the torrent (keep its data)
prefs-seed-goals-note = Empty means never. A torrent that reaches a goal is paused or removed, as chosen above; resuming a paused one by hand lets it seed on.
prefs-bad-ratio = Share ratio: enter a number from 0.01 to { $max }, or leave it empty.

## Queue
status-queued = Queued
status-check-queued = Queued for checking
status-queued-seed = Queued seed
status-forced-downloading = [F] Downloading
status-forced-seeding = [F] Seeding
menu-force-start = Force start
menu-queue-top = Move to top of queue
menu-queue-up = Move up queue
menu-queue-down = Move down queue
menu-queue-bottom = Move to bottom of queue
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = Queueing
prefs-queueing = Run only so many torrents at once; the others wait in the queue
prefs-queue-downloads = Maximum active downloads
prefs-queue-seeds = Maximum active seeds
prefs-queue-active = Maximum active torrents
prefs-queue-ignore-slow = Do not count slow torrents
prefs-queue-rule = Going down the queue, a torrent still downloading takes a download place, a finished one a seeding place, and each takes one of the active places; when a place it needs is taken, it waits (Queued). A torrent is slow when it has moved less than 2 KiB/s (download rate for a download, upload rate for a seed) for a minute: it keeps running but frees its place.
prefs-queue-force-note = Paused torrents, errors, hash checks (one at a time) and magnet links fetching their files take no place. Force start runs a torrent whatever the queue says; Start hands it back to the queue.

## Labels
column-label = Label
sidebar-labels = LABELS
sidebar-trackers = TRACKERS
sidebar-trackerless = No tracker
sidebar-tracker-error = Tracker error
label-empty = A label needs a name.
label-too-many = At most { $max } labels.
label-title = Label for { $count } torrent(s)
label-name = Name
label-name-placeholder = e.g. Linux
label-pick = Known labels
label-colour = Colour
label-save-path = Save new torrents in
label-save-path-placeholder = (the usual folder)
label-note = Limits in KiB/s, 0 = none; a torrent given the label gets them. The folder is used for torrents added with the label.
label-clear = No label
label-delete = Delete label
menu-label = Label…
dialog-label = Label
dialog-no-label = (none)

## IP filter and peer bans
cli-usage-ip-filter =
    IP filter (download and seed):
      --ip-filter FILE
          Never connect to, nor accept, the addresses listed in FILE: an eMule
          ipfilter.dat or a PeerGuardian .p2p list.
cli-bad-ip-filter = IP filter: { $reason }
cli-ip-filter-loaded = IP filter: { $ranges } address ranges blocked ({ $bad } unreadable lines skipped)
prefs-ip-filter = Enable IP filter
prefs-ip-filter-file = Filter list (ipfilter.dat or .p2p)
prefs-ip-filter-reload = Reload
prefs-ip-filter-off = No IP filter in use.
prefs-ip-filter-loading = Loading the IP filter…
prefs-ip-filter-loaded = { $ranges } address ranges blocked.
prefs-ip-filter-bad-lines = { $bad } unreadable lines skipped (the first is line { $line }).
prefs-ip-filter-error = The IP filter could not be loaded: { $reason }
prefs-ip-filter-no-file = Choose a filter list, or turn the IP filter off.
prefs-blocked-connections = Blocked connection attempts this session: { $count }
dialog-choose-ip-filter = Choose an IP filter list
dialog-ip-filter-files = IP filter lists
menu-ban-peer = Ban peer for this session
menu-ban-peer-permanently = Ban peer permanently
prefs-banned-peers = Banned peers: { $count }
prefs-lift-bans = Lift all bans

## Port reachability
status-port-open = Port { $port } ✓
status-port-open-tip = Peers have connected to us: the port can be reached.
status-port-unknown-tip = No peer has connected to us yet. If none ever does, the port may be closed by a router or firewall: forward it, or turn on UPnP there.
menu-open = Open
error-not-on-disk = { $path } is not on disk yet.

# Editing a torrent's trackers
trackers-edit = Edit trackers…
trackers-title = Trackers of { $name }
trackers-hint = One announce URL per line; an empty line starts a new tier. Trackers you remove are told the torrent stopped; new ones are asked at once.
trackers-bad-url = Not a tracker URL (http://, https:// or udp:// with a host): { $url }
menu-remove-tracker = Remove tracker
menu-copy-tracker-url = Copy URL
prefs-announce-all-tiers = Announce to all trackers in all tiers
prefs-announce-all-tiers-note = Off: each announce goes to the first tracker that answers, tier by tier (BEP 12). On: every tracker of every tier is asked each time.
prefs-direct-writes = Write downloads past the system's file cache
prefs-direct-writes-note = Less processor time per downloaded byte, and a download does not push other programs' files out of memory. Where the file system cannot do it, the cache is used anyway.
prefs-limit-overhead = Limits count protocol overhead too, not only data
prefs-move-completed = Move finished downloads to
prefs-torrent-copies = Keep copies of .torrent files in
prefs-folder-absolute = { $field }: the folder must be a full path (for example /home/you/Done).
prefs-folder-missing = { $field }: choose a folder, or turn the option off.
prefs-pex = Exchange peers with other peers (PEX)
prefs-pex-note = Applies at once; private torrents never use peer exchange.
prefs-random-port = Use a random port at each start
