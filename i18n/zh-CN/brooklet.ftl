# Brooklet — 简体中文 (Simplified Chinese)

## Common words
yes = 是
no = 否

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet —— 快速、轻量的 BitTorrent 客户端

    用法：
      brooklet info <FILE.torrent|MAGNET> [--json]
          显示种子文件或磁力链接的内容。
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          为文件或文件夹制作种子。每个 --tracker 单独构成一层；
          用逗号分隔多个 URL 可将它们放在同一层。
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          按种子校验磁盘上的数据；仅当所有区块都通过校验时退出码才为 0。
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          下载到 DIR（默认：当前文件夹）；所有区块都通过校验后退出码为 0。
          使用 --seed 时，下载完成后继续做种，直到被中断。
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          校验 DATA_DIR 中的数据，然后做种，直到被中断。
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          让 Brooklet 为你打开 .torrent 文件和磁力链接（或撤销此设置）。
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          打开桌面窗口（并添加给出的种子）。

    环境变量：
      BROOKLET_LANG           界面语言（例如 de、fr、ja）；默认：系统语言
      BROOKLET_LOOPBACK_ONLY  设为 1 时，所有连接都只使用环回地址
cli-unknown-command = 未知命令 `{ $command }`（请参阅 `brooklet --help`）
cli-missing-argument = 缺少参数 { $what }（请参阅 `brooklet --help`）
cli-bad-number = { $option } 需要一个字节数，例如 16384、256k 或 4M，而不是 `{ $value }`
cli-bad-magnet = 无效的磁力链接：{ $reason }
cli-cannot-read = 无法读取 `{ $path }`：{ $reason }
cli-cannot-write = 无法写入 `{ $path }`：{ $reason }

## --register-handlers 和 --unregister-handlers
handlers-wrote = 已写入 { $path }
handlers-removed = 已删除 { $path }
handlers-kept = 已保留 { $path }：它不是 Brooklet 写入的
handlers-ran = 已运行 { $command }
handlers-tool-missing = 未安装 { $tool }：已跳过
handlers-tool-failed = { $command } 失败，继续进行：{ $reason }
handlers-default-set = Brooklet 现在打开 { $kind }
handlers-default-unset = Brooklet 不再打开 { $kind }
handlers-registry-wrote = 已写入注册表项 { $key }
handlers-registry-removed = 已删除注册表项 { $key }
handlers-not-needed = macOS 上无需操作：Brooklet.app 已在其 Info.plist 中声明 .torrent 文件和磁力链接
handlers-error-exe = 找不到正在运行的程序：{ $reason }
handlers-error-path = 程序路径 `{ $path }` 无法写入桌面项（请把 Brooklet 移到不含换行符的路径）
handlers-error-no-home = 没有主文件夹：请设置 HOME 或 XDG_DATA_HOME
handlers-error-remove = 无法删除 `{ $path }`：{ $reason }
handlers-error-tool-missing = 未安装 { $tool }（请安装软件包 { $package }）
handlers-error-command = `{ $command }` 失败：{ $reason }
handlers-error-registry = 无法更改注册表项 { $key }：{ $reason }
cli-torrent-too-large = 文件大于 10 MiB，作为种子文件过大
cli-bad-torrent = `{ $path }` 不是可用的种子：{ $reason }

cli-bad-port = --port 需要 0 到 65535 之间的数字，而不是 { $value }
cli-bad-peer = 无效的用户地址 `{ $peer }`：{ $reason }
cli-peer-not-loopback = 用户 `{ $peer }` 不在环回地址上，而 BROOKLET_LOOPBACK_ONLY 已设置
cli-listening = 正在监听端口 { $port }
cli-stopping = 正在停止：通知 Tracker 并将文件写入磁盘…
cli-interrupted = 下载完成前被中断
engine-stopped = 引擎意外停止

## Progress
progress-hashing = 正在计算哈希
progress-checking = 正在校验

## brooklet info
info-name = 名称
info-hash = 信息哈希值
info-magnet = 磁力链接
info-size = 大小
info-size-value = { $size }（{ $bytes } 字节），共 { $files ->
   *[other] { $files } 个文件
}
info-pieces = 区块
info-pieces-value = { $count } × { $size }
info-private = 私有
info-version = 版本
info-hybrid = v1 + v2 混合（使用 v1）
info-tracker = Tracker（第 { $tier } 层）
info-web-seed = Web 种子
info-peer = 用户
info-comment = 注释
info-created-by = 创建工具
info-created-on = 创建时间
info-files = 文件
info-selected-files = 选定的文件
info-magnet-no-metadata = 文件列表将随元数据从种子群中获取。

## brooklet create
create-done = 已写入 { $path }：{ $size }，共 { $pieces } 个区块，每块 { $piece_size }，哈希速度 { $rate }。

## brooklet verify
verify-summary = { $total } 个区块中有 { $have } 个通过校验（{ $rate }）。
verify-read-error = 区块 { $piece }：{ $reason }
verify-incomplete = { $missing ->
   *[other] { $missing } 个区块缺失或已损坏
}

## brooklet download / seed
download-done = 已下载 { $name }：{ $size }，用时 { $seconds } 秒（{ $rate }）。
download-resumed = 已从保存的进度恢复：{ $have } / { $total } 个分块，无需哈希校验。
download-checked = 已校验现有数据：{ $have } / { $total } 个分块通过。
seed-ready = 正在做种 { $name }。按 Ctrl+C 停止。
seed-incomplete = 数据不完整（{ $missing } 个区块缺失或已损坏）；可用 `brooklet download` 获取其余部分
peer-banned = 已封禁用户 { $addr }：其发送的数据未通过哈希校验
bar-metadata = 正在从 { $peers } 个用户获取元数据
bar-checking = 正在校验 { $percent }%
bar-seeding = 做种中 ↑ { $up }，已上传 { $uploaded }，{ $peers } 个用户
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } { $peers } 个用户 剩余 { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = 添加种子
toolbar-add-magnet = 添加链接
toolbar-start = 开始
toolbar-pause = 暂停
toolbar-stop = 停止
toolbar-remove = 移除
toolbar-remove-data = 移除并删除数据
filter-placeholder = 筛选 (Ctrl+F)
magnet-label = 磁力链接：
magnet-add = 添加
dismiss = 关闭
cancel = 取消
list-empty = 还没有种子。可通过“添加种子”（Ctrl+O）或打开 .torrent 文件来添加。
column-number = #
column-name = 名称
column-size = 大小
column-done = 进度
column-status = 状态
column-seeds = 做种数
column-peers = 用户
column-down = 下载速度
column-up = 上传速度
column-eta = 剩余时间
column-ratio = 分享率
column-uploaded = 已上传
category-all = 全部
category-downloading = 下载中
category-seeding = 做种中
category-completed = 已完成
category-active = 活动
category-inactive = 非活动
category-paused = 已暂停
category-errored = 出错
status-metadata = 正在获取元数据
status-checking = 校验中
status-moving = 正在移动 { $percent }%
status-stalled = 停滞
status-downloading = 下载中
status-seeding = 做种中
status-finished = 已完成
status-paused = 已暂停
status-stopped = 已停止
status-error = 错误
status-error-retrying = 错误（{ $seconds } 秒后重试）
details-none = 选择一个种子以查看其详细信息。
details-general = 常规
details-name = 名称
details-hash = 信息哈希值
details-pieces = 区块
details-wasted = 已丢弃
details-peers = 连接
details-peers-value = { $peers } 个用户，{ $seeds } 个做种，{ $banned } 个已封禁
details-error = 上次错误
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = 可用：{ $size }
status-torrents = 种子：{ $count }
status-port = 端口 { $port }
status-starting = 正在启动…
confirm-remove-data = { $count ->
   *[other] 要移除 { $count } 个种子并删除已下载的文件吗？
}
confirm-remove-data-yes = 移除并删除
dialog-add-torrent = 添加种子
dialog-torrent-files = 种子文件
error-engine-stopped = 传输引擎已停止。
error-engine-not-ready = 传输引擎仍在启动，请稍后再试。
error-engine-start = 传输引擎无法启动：{ $reason }
error-save-folder = 无法使用下载文件夹 { $path }：{ $reason }
error-window = 无法打开窗口：{ $reason }
error-no-display = 没有图形显示：DISPLAY 和 WAYLAND_DISPLAY 均未设置。请在桌面会话中运行，或使用命令行（brooklet --help）。
error-instance-refused = 正在运行的 Brooklet 拒绝了请求。
error-instance-unreachable = 无法连接正在运行的 Brooklet：{ $reason }
warning-instance-endpoint = 无法建立单实例端点（{ $reason }）；再次启动将打开另一个窗口。

## Desktop app: details panel, context menus, add dialog
column-added = 添加时间
column-completed = 完成时间
column-save-path = 保存路径
toolbar-show-details = 显示详情
toolbar-hide-details = 隐藏详情
status-dht = DHT：{ $nodes } 个节点
details-trackers = Tracker
details-peers-tab = 用户
details-pieces-tab = 区块
details-files = 文件
details-transfer = 传输
details-downloaded = 已下载
details-uploaded = 已上传
details-ratio = 分享率
details-speed = 速度
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size }（已有 { $have }）
details-pieces-have = { $have } / { $total }
details-save-path = 保存到
details-size = 总大小
details-comment = 注释
details-created-by = 创建工具
details-created-on = 创建时间
details-added-on = 添加时间
details-completed-on = 完成时间
details-magnet = 磁力链接
details-many = 已选择 { $count } 个种子。
details-waiting = 正在等待传输引擎提供详细信息…
details-no-metadata = 从种子群获取元数据后才会显示内容。
details-no-trackers = 此种子没有 Tracker。
details-no-peers = 没有已连接的用户。
peer-add = 添加用户
peer-add-placeholder = IP:端口
peer-add-bad = “{ $address }”不是用户地址：请输入 IP 和端口，例如 203.0.113.5:6881 或 [2001:db8::1]:6881。
limits-max-peers = 最大连接用户数
limits-max-peers-note = 0 = 使用“首选项 → 连接”中的默认值。
limits-bad-peers = 最大连接用户数必须是 0 到 { $max } 之间的整数。
details-pieces-summary = 共 { $total } 个区块（每块 { $size }），已有 { $have } 个
pieces-have = 已有
pieces-downloading = 下载中
pieces-missing = 缺失
tracker-url = URL
tracker-tier = 层级
tracker-status = 状态
tracker-peers = 用户
tracker-seeds = 做种数
tracker-leechers = 下载数
tracker-next = 下次汇报
tracker-warning = 警告
tracker-not-contacted = 尚未联系
tracker-updating = 更新中…
tracker-working = 工作正常
tracker-error = 错误：{ $reason }
peer-address = 地址
peer-client = 客户端
peer-flags = 标志
peer-progress = 进度
peer-downloaded = 已下载
peer-source = 来源
source-tracker = Tracker
source-manual = 手动
source-incoming = 传入
source-dht = DHT
source-pex = PEX
source-magnet = 磁力链接
file-path = 路径
file-priority = 优先级
priority-skip = 不下载
priority-low = 低
priority-normal = 普通
priority-high = 高
menu-recheck = 强制重新校验
menu-reannounce = 强制重新汇报
menu-sequential = 按顺序下载
menu-first-last = 先下载首尾区块
menu-open-folder = 打开所在文件夹
menu-move-data = 移动数据…
dialog-move-data = 选择数据的新文件夹
menu-copy-magnet = 复制磁力链接
menu-copy-hash = 复制信息哈希值
dialog-add-title = 添加新种子
dialog-choose-files = 选择要下载的文件
dialog-choose-folder = 选择下载文件夹
dialog-save-in = 保存到
dialog-browse = 浏览…
dialog-start = 开始下载
dialog-sequential = 按顺序下载
dialog-first-last = 先下载首尾区块
dialog-select-all = 全选
dialog-select-none = 全不选
dialog-files-later = 从种子群获取元数据后将列出文件。
dialog-size-unknown = 获取元数据前未知
dialog-size-value = { $total }（已选：{ $selected }）
dialog-waiting = 还有 { $count } 个种子等待中
dialog-ok = 确定
error-bad-magnet = 无效的磁力链接：{ $reason }
error-bad-torrent = { $path } 不是可用的种子：{ $reason }
error-read-torrent = 无法读取 { $path }：{ $reason }
error-open-folder = 无法打开 { $path }：{ $reason }
error-no-file-manager = 无法打开 { $path }：未安装 { $program }。
error-no-files-selected = 请至少选择一个要下载的文件。

## Preferences
toolbar-preferences = 设置
prefs-title = 设置
prefs-tab-general = 常规
prefs-tab-connection = 连接
prefs-tab-bittorrent = BitTorrent
prefs-language = 语言
prefs-language-system = 跟随系统
prefs-theme = 主题
prefs-theme-system = 跟随系统
prefs-theme-light = 浅色
prefs-theme-dark = 深色
prefs-save-path = 新种子保存到
prefs-save-path-absolute = 下载文件夹必须是完整路径（例如 /home/你/下载）。
prefs-show-add-dialog = 添加新种子时显示添加对话框
prefs-confirm-remove = 删除种子及其数据前先询问
prefs-port = 监听端口（0 = 随机）
prefs-max-connections = 最大连接数
prefs-max-per-torrent = 每个种子的最大连接数
prefs-dht = 通过 DHT 查找节点（没有 Tracker 的磁力链接需要）
prefs-restart-note = 这些设置将在下次启动 Brooklet 时生效。
prefs-connection-note = 端口将在下次启动 Brooklet 时生效；连接数限制立即生效。
prefs-bad-number = { $field }：请输入 { $min } 到 { $max } 之间的整数。
error-settings-save = 无法保存设置：{ $reason }

## Desktop notifications
notify-finished = 下载完成
notify-finished-many = { $count ->
   *[other] { $count } 个下载已完成
}
notify-error = { $name } 出错
notify-errors-many = { $count ->
   *[other] { $count } 个种子因出错而停止
}
notify-and-more = ……以及另外 { $count } 个
notify-metadata = 磁力链接已就绪
notify-metadata-body = { $name }：文件列表已获取。
notify-open-folder = 打开文件夹
prefs-notify-finished = 下载完成或磁力链接就绪时通知
prefs-notify-errors = 种子因出错而停止时通知
warning-notifications = 桌面通知不可用（{ $reason }）；Brooklet 将在没有通知的情况下继续运行。

## Speed tab
speed-download = 下载
speed-upload = 上传
speed-window = 最近 5 分钟
speed-this-torrent = 此种子
speed-all-torrents = 所有种子
speed-peak = 峰值：{ $rate }

## Tray and start-up
tray-show-hide = 显示 / 隐藏 Brooklet
tray-pause-all = 全部暂停
tray-resume-all = 全部继续
tray-alt-speed = 备用速度限制
tray-quit = 退出 Brooklet
confirm-quit = 退出 Brooklet？在再次启动之前，下载和做种都会停止。
confirm-quit-yes = 退出
prefs-tab-desktop = 桌面
prefs-close-to-tray = 关闭窗口后 Brooklet 继续在托盘中运行
prefs-start-minimized = 启动时隐藏窗口到托盘
prefs-start-on-login = 登录时启动 Brooklet
prefs-tray-missing = 未找到系统托盘：关闭窗口会（询问后）退出 Brooklet，并且启动时总是显示窗口。
prefs-handlers = 用 Brooklet 打开 .torrent 文件和磁力链接
prefs-handlers-button = 设为默认
prefs-handlers-done = 现在由 Brooklet 打开 .torrent 文件和磁力链接。
error-handlers = 无法将 Brooklet 设为默认程序：{ $reason }
error-autostart = 无法更改登录时启动：{ $reason }
warning-no-tray = 没有系统托盘（{ $reason }）；关闭窗口将退出 Brooklet。

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    速度限制（download 和 seed）：
      --max-down RATE, --max-up RATE
          将下载或上传限制为每秒 RATE 字节：整数，可带单位，例如 500K 或 1M（0 表示不限制）。
prefs-tab-speed = 速度
prefs-speed-global = 全局限制
prefs-speed-alt = 备用限制
prefs-speed-down = 下载
prefs-speed-up = 上传
prefs-speed-units = 限制单位为 KiB/s；0 表示不限制。
prefs-speed-scheduled = 按此计划切换到备用限制
prefs-speed-schedule-note = 点击某个小时即可切换：高亮的小时使用备用限制（本地时间）。手动切换会保持到计划下一次变化为止。
day-mon = 一
day-tue = 二
day-wed = 三
day-thu = 四
day-fri = 五
day-sat = 六
day-sun = 日
limit-none = ∞
status-limits = 限制 ↓ { $down } ↑ { $up }
status-alt-speed = 备用速度
status-alt-speed-on = 备用速度限制已开启：点击恢复常规限制
status-alt-speed-off = 点击使用备用速度限制
menu-set-limits = 设置限制…
limits-title = { $count ->
   *[other] { $count } 个种子的限制和做种目标
}
limits-down = 下载限制
limits-up = 上传限制
goal-global = 全局默认
goal-unlimited = 无限制
goal-value = 自定义值
limits-bad-rate = { $field }：请输入 0 到 { $max } 之间的整数（KiB/s）。

## Create torrent and drag and drop
toolbar-create = 创建种子
create-title = 创建新种子
create-source = 共享
create-source-placeholder = 文件或文件夹
create-pick-file = 文件…
create-pick-folder = 文件夹…
create-pick-title = 选择要共享的内容
create-no-source = 选择一个文件或文件夹，或将其拖放到窗口上。
create-scanning = 正在读取文件…
create-source-summary = { $files } 个文件，{ $size }
create-trackers = Tracker
create-trackers-hint = 每行一个 URL；空行开始新的层级。
create-piece-size = 分块大小
create-piece-auto = 自动
create-piece-count = { $pieces } 个分块，每块 { $piece }
create-comment = 注释
create-private = 私有种子
create-start-seeding = 开始做种
create-create = 创建
create-hashing-title = 正在创建种子…
create-hashing-progress = 已计算 { $done } / { $total }（{ $percent } %）
create-cancelling = 正在停止…
create-cancelled = 已取消：未创建种子。
create-done-title = 种子已创建
create-size-pieces = { $size }，{ $pieces } 个分块，每块 { $piece }
create-saved-as = 保存为
create-not-saved = 尚未保存
create-seeding = 正在从原始文件做种，无需校验。
create-save = 保存…
create-save-beside = 保存到文件旁边
create-save-title = 将种子另存为
create-copy-magnet = 复制磁力链接
create-close = 关闭
create-bad-tracker = 第 { $line } 行不是 Tracker URL（http://、https:// 或 udp://）：{ $url }
create-too-many-trackers = 最多使用 { $max } 个 Tracker。
create-error-empty = { $path } 不含数据：所有文件都为空，或没有文件。
create-error-too-many-files = { $path } 包含超过 { $max } 个文件，一个种子放不下。
create-error = 无法创建种子：{ $reason }
create-error-write = 无法写入 { $path }：{ $reason }
drop-hint-title = 拖放到此处
drop-hint-torrents = .torrent 文件将被添加。
drop-hint-create = 其他任何文件或文件夹都会打开“创建新种子”。
error-paste-nothing = 剪贴板中没有磁力链接或 .torrent 文件路径。

## Seeding goals
prefs-seed-goals = 做种目标
prefs-seed-ratio = 分享率达到时停止做种
prefs-seed-minutes = 做种多久后停止（分钟）
prefs-seed-idle = 无上传时停止做种 (分钟)
prefs-goal-action = 达到目标时
prefs-goal-pause = 暂停种子
prefs-goal-remove = 移除种子 (保留数据)
prefs-seed-goals-note = 留空表示永不。达到目标的种子会按所选暂停或移除；手动继续已暂停的种子后会接着做种。
prefs-bad-ratio = 分享率：请输入 0.01 到 { $max } 之间的数字，或留空。

## Queue
status-queued = 排队中
status-check-queued = 排队等待校验
status-queued-seed = 排队中（做种）
status-forced-downloading = [强制] 下载中
status-forced-seeding = [强制] 做种中
menu-force-start = 强制开始
menu-queue-top = 移到队列顶部
menu-queue-up = 在队列中上移
menu-queue-down = 在队列中下移
menu-queue-bottom = 移到队列底部
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = 队列
prefs-queueing = 同时只运行一定数量的种子，其余的在队列中等待
prefs-queue-downloads = 最大活动下载数
prefs-queue-seeds = 最大活动做种数
prefs-queue-active = 最大活动种子数
prefs-queue-ignore-slow = 不计入慢速种子
prefs-queue-rule = 按队列顺序，仍在下载的种子占用一个下载名额，已完成的占用一个做种名额，每个都占用一个活动名额；所需名额已满时，它就等待（排队中）。种子在一分钟内传输少于 2 KiB/s（下载看下载速度，做种看上传速度）即为慢速：它继续运行，但让出名额。
prefs-queue-force-note = 已暂停、出错、正在校验（一次一个）的种子以及正在获取文件信息的磁力链接不占名额。强制开始不受队列限制；开始则把它交还给队列。

## Labels
column-label = 标签
sidebar-labels = 标签
sidebar-trackers = Tracker
sidebar-trackerless = 无 Tracker
sidebar-tracker-error = Tracker 错误
label-empty = 标签需要一个名称。
label-too-many = 最多 { $max } 个标签。
label-title = { $count } 个种子的标签
label-name = 名称
label-name-placeholder = 例如 Linux
label-pick = 已有标签
label-colour = 颜色
label-save-path = 新种子保存到
label-save-path-placeholder = （通常的文件夹）
label-note = 限速单位 KiB/s，0 = 不限；设置该标签的种子会使用这些限速。文件夹用于以该标签添加的种子。
label-clear = 无标签
label-delete = 删除标签
menu-label = 标签…
dialog-label = 标签
dialog-no-label = （无）

## IP filter and peer bans
cli-usage-ip-filter =
    IP 过滤（download 和 seed）：
      --ip-filter FILE
          从不连接、也不接受 FILE 中列出的地址：eMule 的 ipfilter.dat
          或 PeerGuardian 的 .p2p 列表。
cli-bad-ip-filter = IP 过滤：{ $reason }
cli-ip-filter-loaded = IP 过滤：已屏蔽 { $ranges } 个地址段（跳过 { $bad } 行无法读取的内容）
prefs-ip-filter = 启用 IP 过滤
prefs-ip-filter-file = 过滤列表（ipfilter.dat 或 .p2p）
prefs-ip-filter-reload = 重新载入
prefs-ip-filter-off = 未使用 IP 过滤。
prefs-ip-filter-loading = 正在载入 IP 过滤…
prefs-ip-filter-loaded = 已屏蔽 { $ranges } 个地址段。
prefs-ip-filter-bad-lines = 跳过 { $bad } 行无法读取的内容（第一处在第 { $line } 行）。
prefs-ip-filter-error = 无法载入 IP 过滤：{ $reason }
prefs-ip-filter-no-file = 请选择过滤列表，或关闭 IP 过滤。
prefs-blocked-connections = 本次会话已拦截的连接尝试：{ $count }
dialog-choose-ip-filter = 选择 IP 过滤列表
dialog-ip-filter-files = IP 过滤列表
menu-ban-peer = 本次会话内屏蔽此用户
menu-ban-peer-permanently = 永久屏蔽此用户
prefs-banned-peers = 已屏蔽的用户：{ $count }
prefs-lift-bans = 解除全部屏蔽

## Port reachability
status-port-open = 端口 { $port } ✓
status-port-open-tip = 已有节点连接到我们：端口可以从外部访问。
status-port-unknown-tip = 还没有节点连接到我们。如果一直没有，端口可能被路由器或防火墙关闭：请转发该端口或在其中开启 UPnP。
menu-open = 打开
error-not-on-disk = { $path } 尚未保存到磁盘。

# 编辑种子的 Tracker
trackers-edit = 编辑 Tracker…
trackers-title = { $name } 的 Tracker
trackers-hint = 每行一个 announce URL；空行开始新的层级。被移除的 Tracker 会收到种子已停止的通知；新的 Tracker 会立即被询问。
trackers-bad-url = 不是 Tracker URL（需带主机名的 http://、https:// 或 udp://）：{ $url }
menu-remove-tracker = 移除 Tracker
menu-copy-tracker-url = 复制 URL
prefs-announce-all-tiers = 向所有层级的所有 Tracker 汇报
prefs-announce-all-tiers-note = 关闭：每次汇报按层级发给第一个响应的 Tracker（BEP 12）。开启：每次都询问所有层级的所有 Tracker。
prefs-direct-writes = 绕过系统文件缓存写入下载内容
prefs-direct-writes-note = 每下载一个字节占用的处理器时间更少，下载也不会把其他程序的文件挤出内存。文件系统不支持时仍使用缓存。
prefs-limit-overhead = 限速同时计入协议开销，而不仅是数据
prefs-move-completed = 将下载完成的文件移动到
prefs-torrent-copies = 在此保留 .torrent 文件的副本
prefs-folder-absolute = { $field }：文件夹必须是完整路径（例如 /home/你/已完成）。
prefs-folder-missing = { $field }：请选择一个文件夹，或关闭此选项。
prefs-pex = 与其他节点交换节点信息（PEX）
prefs-pex-note = 立即生效；私有种子从不使用节点交换。
prefs-random-port = 每次启动时使用随机端口
