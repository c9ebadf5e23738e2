# Brooklet — Русский (Russian)

## Common words
yes = да
no = нет

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — быстрый и лёгкий BitTorrent-клиент

    Использование:
      brooklet info <FILE.torrent|MAGNET> [--json]
          Показывает содержимое торрент-файла или magnet-ссылки.
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          Создаёт торрент из файла или папки. Каждый --tracker образует отдельный уровень;
          чтобы поместить несколько URL в один уровень, перечислите их через запятую.
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          Сверяет данные на диске с торрентом; код выхода 0 только если все части
          прошли проверку.
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          Скачивает в DIR (по умолчанию — в текущую папку); код выхода 0, когда все части
          проверены. С --seed после этого продолжает раздачу до прерывания.
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          Проверяет данные в DATA_DIR, затем раздаёт их до прерывания.
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Назначает Brooklet программой для файлов .torrent и magnet-ссылок (или отменяет это).
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          Открывает окно приложения (и добавляет указанные торренты).

    Переменные окружения:
      BROOKLET_LANG           язык интерфейса (например, de, fr, ja); по умолчанию — язык системы
      BROOKLET_LOOPBACK_ONLY  значение 1 оставляет все соединения на loopback-адресах
cli-unknown-command = неизвестная команда `{ $command }` (см. `brooklet --help`)
cli-missing-argument = не указан аргумент { $what } (см. `brooklet --help`)
cli-bad-number = { $option } ожидает число байт, например 16384, 256k или 4M, а не `{ $value }`
cli-bad-magnet = неверная magnet-ссылка: { $reason }
cli-cannot-read = не удаётся прочитать `{ $path }`: { $reason }
cli-cannot-write = не удаётся записать `{ $path }`: { $reason }

## --register-handlers и --unregister-handlers
handlers-wrote = записан: { $path }
handlers-removed = удалён: { $path }
handlers-kept = оставлен: { $path } (его записал не Brooklet)
handlers-ran = выполнено: { $command }
handlers-tool-missing = { $tool } не установлен: шаг пропущен
handlers-tool-failed = { $command } завершился с ошибкой, продолжаем без него: { $reason }
handlers-default-set = теперь Brooklet открывает { $kind }
handlers-default-unset = Brooklet больше не открывает { $kind }
handlers-registry-wrote = записан раздел реестра: { $key }
handlers-registry-removed = удалён раздел реестра: { $key }
handlers-not-needed = на macOS ничего делать не нужно: Brooklet.app объявляет файлы .torrent и magnet-ссылки в своём Info.plist
handlers-error-exe = не удаётся найти запущенную программу: { $reason }
handlers-error-path = путь к программе `{ $path }` нельзя записать в ярлык приложения (переместите Brooklet в путь без переводов строки)
handlers-error-no-home = нет домашней папки: задайте HOME или XDG_DATA_HOME
handlers-error-remove = не удаётся удалить `{ $path }`: { $reason }
handlers-error-tool-missing = { $tool } не установлен (установите пакет { $package })
handlers-error-command = `{ $command }` завершился с ошибкой: { $reason }
handlers-error-registry = не удаётся изменить раздел реестра { $key }: { $reason }
cli-torrent-too-large = размер больше 10 MiB — слишком много для торрент-файла
cli-bad-torrent = `{ $path }` не является пригодным торрентом: { $reason }

cli-bad-port = --port ожидает число от 0 до 65535, а не { $value }
cli-bad-peer = неверный адрес пира `{ $peer }`: { $reason }
cli-peer-not-loopback = пир `{ $peer }` не на loopback-адресе, а переменная BROOKLET_LOOPBACK_ONLY задана
cli-listening = прослушивается порт { $port }
cli-stopping = Остановка: уведомление трекеров и запись файлов на диск…
cli-interrupted = прервано до завершения загрузки
engine-stopped = движок неожиданно остановился

## Progress
progress-hashing = Хеширование
progress-checking = Проверка

## brooklet info
info-name = Имя
info-hash = Инфо-хеш
info-magnet = Magnet-ссылка
info-size = Размер
info-size-value = { $size } ({ $bytes } { $bytes ->
        [one] байт
        [few] байта
        [many] байт
       *[other] байта
    }) в { $files ->
        [one] { $files } файле
        [few] { $files } файлах
        [many] { $files } файлах
       *[other] { $files } файла
    }
info-pieces = Части
info-pieces-value = { $count } × { $size }
info-private = Частный
info-version = Версия
info-hybrid = гибридный v1 + v2 (используется v1)
info-tracker = Трекер (уровень { $tier })
info-web-seed = Веб-сид
info-peer = Пир
info-comment = Комментарий
info-created-by = Создан в
info-created-on = Дата создания
info-files = Файлы
info-selected-files = Выбранные файлы
info-magnet-no-metadata = Список файлов станет известен после получения метаданных из роя.

## brooklet create
create-done = Записан { $path }: { $size }, частей: { $pieces } по { $piece_size }, скорость хеширования { $rate }.

## brooklet verify
verify-summary = Успешно проверено частей: { $have } из { $total } ({ $rate }).
verify-read-error = часть { $piece }: { $reason }
verify-incomplete = { $missing ->
    [one] { $missing } часть отсутствует или повреждена
    [few] { $missing } части отсутствуют или повреждены
    [many] { $missing } частей отсутствуют или повреждены
   *[other] { $missing } части отсутствуют или повреждены
}

## brooklet download / seed
download-done = Скачано { $name }: { $size } за { $seconds } с ({ $rate }).
download-resumed = Продолжено с сохранённого прогресса: { $have } из { $total } частей, без проверки хешей.
download-checked = Имеющиеся данные проверены: подтверждено { $have } из { $total } частей.
seed-ready = Раздача { $name }. Нажмите Ctrl+C для остановки.
seed-incomplete = данные неполные ({ $missing ->
        [one] { $missing } часть отсутствует или повреждена
        [few] { $missing } части отсутствуют или повреждены
        [many] { $missing } частей отсутствуют или повреждены
       *[other] { $missing } части отсутствуют или повреждены
    }); `brooklet download` может докачать остальное
peer-banned = пир { $addr } заблокирован: он прислал данные, не прошедшие проверку хеша
bar-metadata = Загрузка метаданных от { $peers } пиров
bar-checking = Проверка { $percent }%
bar-seeding = Раздача ↑ { $up }, отдано { $uploaded }, { $peers ->
        [one] { $peers } пир
        [few] { $peers } пира
        [many] { $peers } пиров
       *[other] { $peers } пира
    }
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } { $peers ->
        [one] { $peers } пир
        [few] { $peers } пира
        [many] { $peers } пиров
       *[other] { $peers } пира
    }, осталось { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = Добавить торрент
toolbar-add-magnet = Добавить ссылку
toolbar-start = Запустить
toolbar-pause = Приостановить
toolbar-stop = Остановить
toolbar-remove = Удалить
toolbar-remove-data = Удалить с файлами
filter-placeholder = Фильтр (Ctrl+F)
magnet-label = Magnet-ссылка:
magnet-add = Добавить
dismiss = Закрыть
cancel = Отмена
list-empty = Торрентов пока нет. Добавьте торрент кнопкой «Добавить торрент» (Ctrl+O) или откройте файл .torrent.
column-number = #
column-name = Имя
column-size = Размер
column-done = Прогресс
column-status = Состояние
column-seeds = Сиды
column-peers = Пиры
column-down = Загрузка
column-up = Отдача
column-eta = Осталось
column-ratio = Рейтинг
column-uploaded = Отдано
category-all = Все
category-downloading = Загружаются
category-seeding = Раздаются
category-completed = Завершены
category-active = Активные
category-inactive = Неактивные
category-paused = Приостановлены
category-errored = С ошибками
status-metadata = Загрузка метаданных
status-checking = Проверка
status-moving = Перемещение { $percent }%
status-stalled = Простаивает
status-downloading = Загрузка
status-seeding = Раздача
status-finished = Завершён
status-paused = Приостановлен
status-stopped = Остановлен
status-error = Ошибка
status-error-retrying = Ошибка (повтор через { $seconds } с)
details-none = Выберите торрент, чтобы увидеть подробности.
details-general = Общие
details-name = Имя
details-hash = Инфо-хеш
details-pieces = Части
details-wasted = Потеряно
details-peers = Соединения
details-peers-value = { $peers ->
        [one] { $peers } пир
        [few] { $peers } пира
        [many] { $peers } пиров
       *[other] { $peers } пира
    }, { $seeds ->
        [one] { $seeds } сид
        [few] { $seeds } сида
        [many] { $seeds } сидов
       *[other] { $seeds } сида
    }, заблокировано: { $banned }
details-error = Последняя ошибка
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = Свободно: { $size }
status-torrents = Торренты: { $count }
status-port = Порт { $port }
status-starting = Запуск…
confirm-remove-data = { $count ->
    [1] Удалить этот торрент вместе со скачанными файлами?
    [one] Удалить { $count } торрент вместе со скачанными файлами?
    [few] Удалить { $count } торрента вместе со скачанными файлами?
    [many] Удалить { $count } торрентов вместе со скачанными файлами?
   *[other] Удалить { $count } торрента вместе со скачанными файлами?
}
confirm-remove-data-yes = Удалить вместе с файлами
dialog-add-torrent = Добавить торренты
dialog-torrent-files = Торрент-файлы
error-engine-stopped = Движок передачи остановлен.
error-engine-not-ready = Движок передачи ещё запускается; повторите попытку через несколько секунд.
error-engine-start = Не удалось запустить движок передачи: { $reason }
error-save-folder = Невозможно использовать папку загрузки { $path }: { $reason }
error-window = не удаётся открыть окно: { $reason }
error-no-display = нет графического дисплея: не заданы ни DISPLAY, ни WAYLAND_DISPLAY. Запустите Brooklet в графическом сеансе или используйте командную строку (brooklet --help).
error-instance-refused = запущенный Brooklet отклонил запрос.
error-instance-unreachable = не удаётся связаться с запущенным Brooklet: { $reason }
warning-instance-endpoint = не удаётся создать точку связи единственного экземпляра ({ $reason }); повторный запуск откроет ещё одно окно.

## Desktop app: details panel, context menus, add dialog
column-added = Добавлен
column-completed = Завершён
column-save-path = Папка
toolbar-show-details = Показать подробности
toolbar-hide-details = Скрыть подробности
status-dht = { $nodes ->
    [one] DHT: { $nodes } узел
    [few] DHT: { $nodes } узла
   *[other] DHT: { $nodes } узлов
}
details-trackers = Трекеры
details-peers-tab = Пиры
details-pieces-tab = Части
details-files = Файлы
details-transfer = Передача
details-downloaded = Загружено
details-uploaded = Отдано
details-ratio = Рейтинг
details-speed = Скорость
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size } (есть { $have })
details-pieces-have = { $have } из { $total }
details-save-path = Сохраняется в
details-size = Общий размер
details-comment = Комментарий
details-created-by = Создан в
details-created-on = Дата создания
details-added-on = Добавлен
details-completed-on = Завершён
details-magnet = Magnet-ссылка
details-many = { $count ->
    [one] Выбран { $count } торрент.
    [few] Выбрано { $count } торрента.
   *[other] Выбрано { $count } торрентов.
}
details-waiting = Ожидание подробностей от движка передачи…
details-no-metadata = Здесь ничего не будет, пока из роя не придут метаданные.
details-no-trackers = У этого торрента нет трекеров.
details-no-peers = Нет подключённых пиров.
peer-add = Добавить пира
peer-add-placeholder = IP:порт
peer-add-bad = «{ $address }» — не адрес пира: введите IP и порт, например 203.0.113.5:6881 или [2001:db8::1]:6881.
limits-max-peers = Макс. подключённых пиров
limits-max-peers-note = 0 = значение по умолчанию из Настройки → Соединение.
limits-bad-peers = Макс. число подключённых пиров должно быть целым числом от 0 до { $max }.
details-pieces-summary = { $have } из { $total } частей по { $size }
pieces-have = Есть
pieces-downloading = Загружается
pieces-missing = Нет
tracker-url = URL
tracker-tier = Уровень
tracker-status = Состояние
tracker-peers = Пиры
tracker-seeds = Сиды
tracker-leechers = Личи
tracker-next = След. анонс
tracker-warning = Предупреждение
tracker-not-contacted = Ещё не опрошен
tracker-updating = Обновление…
tracker-working = Работает
tracker-error = Ошибка: { $reason }
peer-address = Адрес
peer-client = Клиент
peer-flags = Флаги
peer-progress = Прогресс
peer-downloaded = Загружено
peer-source = Источник
source-tracker = Трекер
source-manual = Вручную
source-incoming = Входящее
source-dht = DHT
source-pex = PEX
source-magnet = Magnet-ссылка
file-path = Путь
file-priority = Приоритет
priority-skip = Не загружать
priority-low = Низкий
priority-normal = Обычный
priority-high = Высокий
menu-recheck = Проверить заново
menu-reannounce = Обновить трекер
menu-sequential = Последовательная загрузка
menu-first-last = Сначала первые и последние части
menu-open-folder = Открыть папку
menu-move-data = Переместить данные…
dialog-move-data = Выберите новую папку для данных
menu-copy-magnet = Копировать magnet-ссылку
menu-copy-hash = Копировать инфо-хеш
dialog-add-title = Добавить новый торрент
dialog-choose-files = Выберите файлы для загрузки
dialog-choose-folder = Выберите папку для загрузки
dialog-save-in = Сохранить в
dialog-browse = Обзор…
dialog-start = Запустить торрент
dialog-sequential = Последовательная загрузка
dialog-first-last = Сначала первые и последние части
dialog-select-all = Выбрать все
dialog-select-none = Снять выбор
dialog-files-later = Файлы появятся, когда из роя придут метаданные.
dialog-size-unknown = Неизвестен до получения метаданных
dialog-size-value = { $total } (выбрано: { $selected })
dialog-waiting = { $count ->
    [one] Ещё { $count } торрент ждёт
    [few] Ещё { $count } торрента ждут
   *[other] Ещё { $count } торрентов ждут
}
dialog-ok = ОК
error-bad-magnet = Неверная magnet-ссылка: { $reason }
error-bad-torrent = { $path } не является пригодным торрентом: { $reason }
error-read-torrent = Не удаётся прочитать { $path }: { $reason }
error-open-folder = Не удаётся открыть { $path }: { $reason }
error-no-file-manager = Не удаётся открыть { $path }: { $program } не установлен.
error-no-files-selected = Выберите хотя бы один файл для загрузки.

## Preferences
toolbar-preferences = Настройки
prefs-title = Настройки
prefs-tab-general = Общие
prefs-tab-connection = Соединение
prefs-tab-bittorrent = BitTorrent
prefs-language = Язык
prefs-language-system = Как в системе
prefs-theme = Тема
prefs-theme-system = Как в системе
prefs-theme-light = Светлая
prefs-theme-dark = Тёмная
prefs-save-path = Сохранять новые торренты в
prefs-save-path-absolute = Папка загрузок должна быть указана полным путём (например, /home/вы/Загрузки).
prefs-show-add-dialog = Показывать окно добавления для новых торрентов
prefs-confirm-remove = Спрашивать перед удалением торрента вместе с данными
prefs-port = Порт для входящих соединений (0 = случайный)
prefs-max-connections = Максимум соединений
prefs-max-per-torrent = Максимум соединений на торрент
prefs-dht = Искать пиров через DHT (нужно для magnet-ссылок без трекеров)
prefs-restart-note = Эти настройки вступят в силу при следующем запуске Brooklet.
prefs-connection-note = Порт вступит в силу при следующем запуске Brooklet; ограничения соединений действуют сразу.
prefs-bad-number = { $field }: введите целое число от { $min } до { $max }.
error-settings-save = Не удалось сохранить настройки: { $reason }

## Desktop notifications
notify-finished = Загрузка завершена
notify-finished-many = { $count ->
    [one] { $count } загрузка завершена
    [few] { $count } загрузки завершены
    [many] { $count } загрузок завершено
   *[other] { $count } загрузки завершено
}
notify-error = Ошибка в «{ $name }»
notify-errors-many = { $count ->
    [one] { $count } торрент остановлен из-за ошибки
    [few] { $count } торрента остановлены из-за ошибок
    [many] { $count } торрентов остановлено из-за ошибок
   *[other] { $count } торрента остановлено из-за ошибок
}
notify-and-more = …и ещё { $count }
notify-metadata = Магнет-ссылка готова
notify-metadata-body = «{ $name }»: список файлов получен.
notify-open-folder = Открыть папку
prefs-notify-finished = Уведомлять о завершении загрузки и о готовности магнет-ссылки
prefs-notify-errors = Уведомлять, когда торрент останавливается из-за ошибки
warning-notifications = уведомления рабочего стола недоступны ({ $reason }); Brooklet продолжит работу без них.

## Speed tab
speed-download = Загрузка
speed-upload = Отдача
speed-window = Последние 5 минут
speed-this-torrent = Этот торрент
speed-all-torrents = Все торренты
speed-peak = Пик: { $rate }

## Tray and start-up
tray-show-hide = Показать / скрыть Brooklet
tray-pause-all = Приостановить все
tray-resume-all = Возобновить все
tray-alt-speed = Альтернативные ограничения скорости
tray-quit = Выйти из Brooklet
confirm-quit = Выйти из Brooklet? Загрузка и раздача остановятся до следующего запуска.
confirm-quit-yes = Выйти
prefs-tab-desktop = Рабочий стол
prefs-close-to-tray = При закрытии окна Brooklet продолжает работать в трее
prefs-start-minimized = Запускаться со скрытым окном в трее
prefs-start-on-login = Запускать Brooklet при входе в систему
prefs-tray-missing = Системный трей не найден: закрытие окна завершает Brooklet (после вопроса), и он всегда запускается с открытым окном.
prefs-handlers = Открывать файлы .torrent и magnet-ссылки в Brooklet
prefs-handlers-button = Сделать основным
prefs-handlers-done = Теперь файлы .torrent и magnet-ссылки открывает Brooklet.
error-handlers = Не удалось сделать Brooklet программой по умолчанию: { $reason }
error-autostart = Не удалось изменить запуск при входе: { $reason }
warning-no-tray = системного трея нет ({ $reason }); закрытие окна завершает Brooklet.

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    Ограничения скорости (download и seed):
      --max-down RATE, --max-up RATE
          Ограничить загрузку или отдачу до RATE байт в секунду: целое число с необязательной
          единицей, например 500K или 1M (0 — без ограничения).
prefs-tab-speed = Скорость
prefs-speed-global = Общие ограничения
prefs-speed-alt = Альтернативные ограничения
prefs-speed-down = Приём
prefs-speed-up = Отдача
prefs-speed-units = Ограничения в КиБ/с; 0 — без ограничения.
prefs-speed-scheduled = Включать альтернативные ограничения по этому расписанию
prefs-speed-schedule-note = Щёлкните по часу, чтобы переключить его: выделенные часы используют альтернативные ограничения (местное время). Ручное переключение действует до следующей смены в расписании.
day-mon = Пн
day-tue = Вт
day-wed = Ср
day-thu = Чт
day-fri = Пт
day-sat = Сб
day-sun = Вс
limit-none = ∞
status-limits = Ограничения ↓ { $down } ↑ { $up }
status-alt-speed = Альт. скорость
status-alt-speed-on = Альтернативные ограничения включены: щёлкните, чтобы вернуть обычные
status-alt-speed-off = Щёлкните, чтобы включить альтернативные ограничения
menu-set-limits = Ограничить скорость…
limits-title = { $count ->
    [one] Ограничения и цели раздачи { $count } торрента
    [few] Ограничения и цели раздачи { $count } торрентов
    [many] Ограничения и цели раздачи { $count } торрентов
   *[other] Ограничения и цели раздачи { $count } торрентов
}
limits-down = Ограничение приёма
limits-up = Ограничение отдачи
goal-global = Общее значение
goal-unlimited = Без ограничения
goal-value = Своё значение
limits-bad-rate = { $field }: введите целое число КиБ/с от 0 до { $max }.

## Create torrent and drag and drop
toolbar-create = Создать торрент
create-title = Создать новый торрент
create-source = Раздать
create-source-placeholder = Файл или папка
create-pick-file = Файл…
create-pick-folder = Папка…
create-pick-title = Выберите, что раздавать
create-no-source = Выберите файл или папку или перетащите их в окно.
create-scanning = Чтение файлов…
create-source-summary = { $files ->
    [one] { $files } файл, { $size }
    [few] { $files } файла, { $size }
   *[other] { $files } файлов, { $size }
}
create-trackers = Трекеры
create-trackers-hint = Один URL на строку; пустая строка начинает новый уровень.
create-piece-size = Размер части
create-piece-auto = Авто
create-piece-count = { $pieces ->
    [one] { $pieces } часть по { $piece }
    [few] { $pieces } части по { $piece }
   *[other] { $pieces } частей по { $piece }
}
create-comment = Комментарий
create-private = Частный торрент
create-start-seeding = Начать раздачу
create-create = Создать
create-hashing-title = Создание торрента…
create-hashing-progress = Хешировано { $done } из { $total } ({ $percent } %)
create-cancelling = Остановка…
create-cancelled = Отменено: торрент не создан.
create-done-title = Торрент создан
create-size-pieces = { $size }, { $pieces } частей по { $piece }
create-saved-as = Сохранён как
create-not-saved = Ещё не сохранён
create-seeding = Раздаётся из исходных файлов без проверки.
create-save = Сохранить…
create-save-beside = Сохранить рядом с файлами
create-save-title = Сохранить торрент как
create-copy-magnet = Копировать магнет-ссылку
create-close = Закрыть
create-bad-tracker = Строка { $line } не является URL трекера (http://, https:// или udp://): { $url }
create-too-many-trackers = Укажите не более { $max } трекеров.
create-error-empty = В { $path } нет данных: все файлы пусты или их нет.
create-error-too-many-files = В { $path } больше { $max } файлов — слишком много для одного торрента.
create-error = Не удалось создать торрент: { $reason }
create-error-write = Не удалось записать { $path }: { $reason }
drop-hint-title = Отпустите здесь
drop-hint-torrents = Файлы .torrent будут добавлены.
drop-hint-create = Любой другой файл или папка откроет «Создать новый торрент».
error-paste-nothing = В буфере обмена нет магнет-ссылки или пути к файлу .torrent.

## Seeding goals
prefs-seed-goals = Цели раздачи
prefs-seed-ratio = Остановить раздачу при рейтинге
prefs-seed-minutes = Остановить раздачу через (минут)
prefs-seed-idle = Прекратить раздачу после простоя (минуты)
prefs-goal-action = Когда цель достигнута
prefs-goal-pause = Приостановить торрент
prefs-goal-remove = Удалить торрент (сохранить данные)
prefs-seed-goals-note = Пусто — никогда. Торрент, достигший цели, приостанавливается или удаляется, как выбрано; приостановленный, возобновлённый вручную, продолжит раздачу.
prefs-bad-ratio = Рейтинг: введите число от 0,01 до { $max } или оставьте поле пустым.

## Queue
status-queued = В очереди
status-check-queued = Ожидает проверки
status-queued-seed = В очереди (раздача)
status-forced-downloading = [П] Загружается
status-forced-seeding = [П] Раздаётся
menu-force-start = Принудительный запуск
menu-queue-top = В начало очереди
menu-queue-up = Вверх по очереди
menu-queue-down = Вниз по очереди
menu-queue-bottom = В конец очереди
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = Очередь
prefs-queueing = Запускать одновременно лишь несколько торрентов; остальные ждут в очереди
prefs-queue-downloads = Наибольшее число активных загрузок
prefs-queue-seeds = Наибольшее число активных раздач
prefs-queue-active = Наибольшее число активных торрентов
prefs-queue-ignore-slow = Не учитывать медленные торренты
prefs-queue-rule = По порядку очереди торрент, который ещё загружается, занимает место загрузки, завершённый — место раздачи, и каждый занимает одно из активных мест; если нужное место занято, он ждёт (В очереди). Торрент считается медленным, если минуту передавал меньше 2 КиБ/с (приём для загрузки, отдача для раздачи): он продолжает работать, но освобождает место.
prefs-queue-force-note = Приостановленные торренты, ошибки, проверки (по одной) и magnet-ссылки, получающие список файлов, места не занимают. Принудительный запуск запускает торрент независимо от очереди; «Запустить» возвращает его в очередь.

## Labels
column-label = Метка
sidebar-labels = МЕТКИ
sidebar-trackers = ТРЕКЕРЫ
sidebar-trackerless = Без трекера
sidebar-tracker-error = Ошибка трекера
label-empty = У метки должно быть имя.
label-too-many = Не больше { $max } меток.
label-title = Метка для торрентов: { $count }
label-name = Имя
label-name-placeholder = например, Linux
label-pick = Известные метки
label-colour = Цвет
label-save-path = Сохранять новые торренты в
label-save-path-placeholder = (обычная папка)
label-note = Ограничения в КиБ/с, 0 = нет; торрент с меткой получает их. Папка используется для торрентов, добавленных с меткой.
label-clear = Без метки
label-delete = Удалить метку
menu-label = Метка…
dialog-label = Метка
dialog-no-label = (нет)

## IP filter and peer bans
cli-usage-ip-filter =
    IP-фильтр (download и seed):
      --ip-filter FILE
          Никогда не подключаться к адресам из FILE и не принимать их: список eMule
          ipfilter.dat или PeerGuardian .p2p.
cli-bad-ip-filter = IP-фильтр: { $reason }
cli-ip-filter-loaded = IP-фильтр: заблокировано диапазонов адресов: { $ranges } (пропущено нечитаемых строк: { $bad })
prefs-ip-filter = Включить IP-фильтр
prefs-ip-filter-file = Список фильтра (ipfilter.dat или .p2p)
prefs-ip-filter-reload = Перезагрузить
prefs-ip-filter-off = IP-фильтр не используется.
prefs-ip-filter-loading = Загрузка IP-фильтра…
prefs-ip-filter-loaded = Заблокировано диапазонов адресов: { $ranges }.
prefs-ip-filter-bad-lines = Пропущено нечитаемых строк: { $bad } (первая — строка { $line }).
prefs-ip-filter-error = Не удалось загрузить IP-фильтр: { $reason }
prefs-ip-filter-no-file = Выберите список фильтра или выключите IP-фильтр.
prefs-blocked-connections = Заблокировано попыток соединения за сеанс: { $count }
dialog-choose-ip-filter = Выберите список IP-фильтра
dialog-ip-filter-files = Списки IP-фильтра
menu-ban-peer = Заблокировать пира на этот сеанс
menu-ban-peer-permanently = Заблокировать пира навсегда
prefs-banned-peers = Заблокированные пиры: { $count }
prefs-lift-bans = Снять все блокировки

## Port reachability
status-port-open = Порт { $port } ✓
status-port-open-tip = К нам подключались пиры: порт доступен извне.
status-port-unknown-tip = К нам ещё не подключился ни один пир. Если так и останется, порт может быть закрыт роутером или брандмауэром: пробросьте его или включите там UPnP.
menu-open = Открыть
error-not-on-disk = { $path } ещё нет на диске.

# Редактирование трекеров торрента
trackers-edit = Изменить трекеры…
trackers-title = Трекеры { $name }
trackers-hint = Один адрес анонса в строке; пустая строка начинает новый уровень. Удалённым трекерам сообщается об остановке торрента, новые опрашиваются сразу.
trackers-bad-url = Это не адрес трекера (http://, https:// или udp:// с именем хоста): { $url }
menu-remove-tracker = Удалить трекер
menu-copy-tracker-url = Копировать адрес
prefs-announce-all-tiers = Анонсировать всем трекерам всех уровней
prefs-announce-all-tiers-note = Выключено: каждый анонс уходит первому ответившему трекеру, уровень за уровнем (BEP 12). Включено: каждый раз опрашиваются все трекеры всех уровней.
prefs-direct-writes = Записывать загрузки в обход файлового кэша системы
prefs-direct-writes-note = Меньше процессорного времени на каждый загруженный байт, и загрузка не вытесняет из памяти файлы других программ. Где файловая система этого не умеет, кэш используется всё равно.
prefs-limit-overhead = Ограничения учитывают и служебный трафик протокола, а не только данные
prefs-move-completed = Перемещать завершённые загрузки в
prefs-torrent-copies = Хранить копии .torrent-файлов в
prefs-folder-absolute = { $field }: папка должна быть указана полным путём (например, /home/вы/Готово).
prefs-folder-missing = { $field }: выберите папку или выключите этот параметр.
prefs-pex = Обмениваться пирами с другими пирами (PEX)
prefs-pex-note = Действует сразу; приватные торренты никогда не используют обмен пирами.
prefs-random-port = Использовать случайный порт при каждом запуске
