# Brooklet — 日本語 (Japanese)

## Common words
yes = はい
no = いいえ

## Command line
# `{"   …["}` below: Fluent drops the indentation in front of a placeable that starts a line,
# and a text line may not start with `[`, so the spaces and the bracket are a string literal.
cli-usage =
    Brooklet — 高速で軽量な BitTorrent クライアント

    使い方:
      brooklet info <FILE.torrent|MAGNET> [--json]
          torrent ファイルまたはマグネットリンクの内容を表示します。
      brooklet create <PATH> -o <OUT.torrent> [--tracker URL]... [--web-seed URL]...
    {"                  ["}--piece-length BYTES] [--private] [--comment TEXT] [--threads N]
          ファイルまたはフォルダーから torrent を作成します。--tracker ごとに別のティアに
          なります。URL をカンマで区切ると同じティアに入ります。
      brooklet verify <FILE.torrent> <DATA_DIR> [--threads N]
          ディスク上のデータを torrent と照合します。すべてのピースが検証に合格した
          場合のみ終了コード 0 を返します。
      brooklet download <FILE.torrent|MAGNET> [-o DIR] [--port N] [--peer HOST:PORT]... [--seed] [--sequential]
    {"                  ["}--dht-bootstrap HOST:PORT]... [--no-dht]
          DIR（既定値: 現在のフォルダー）にダウンロードします。すべてのピースが検証されると
          終了コード 0 で終了します。--seed を付けると、中断されるまでシードを続けます。
      brooklet seed <FILE.torrent> <DATA_DIR> [--port N] [--peer HOST:PORT]... [--dht-bootstrap HOST:PORT]... [--no-dht]
          DATA_DIR のデータをチェックしてから、中断されるまでシードします。
      brooklet --help | --version
      brooklet --register-handlers | --unregister-handlers
          Brooklet で .torrent ファイルとマグネットリンクを開くようにします（または元に戻します）。
      brooklet [--minimized] [FILE.torrent|MAGNET]...
          デスクトップウィンドウを開きます（指定した torrent を追加します）。

    環境変数:
      BROOKLET_LANG           使用する言語（例: de, fr, ja）。既定値: システムの言語
      BROOKLET_LOOPBACK_ONLY  1 にすると、すべての接続をループバックアドレスに限定します
cli-unknown-command = 不明なコマンドです: `{ $command }`（`brooklet --help` を参照）
cli-missing-argument = 引数 { $what } がありません（`brooklet --help` を参照）
cli-bad-number = { $option } にはバイト数（16384、256k、4M など）を指定してください。`{ $value }` は無効です
cli-bad-magnet = 無効なマグネットリンクです: { $reason }
cli-cannot-read = `{ $path }` を読み込めません: { $reason }
cli-cannot-write = `{ $path }` に書き込めません: { $reason }

## --register-handlers と --unregister-handlers
handlers-wrote = 書き込みました: { $path }
handlers-removed = 削除しました: { $path }
handlers-kept = 残しました: { $path }（Brooklet が書いたものではありません）
handlers-ran = 実行しました: { $command }
handlers-tool-missing = { $tool } がインストールされていません: スキップしました
handlers-tool-failed = { $command } が失敗しました。これなしで続けます: { $reason }
handlers-default-set = Brooklet が { $kind } を開くようになりました
handlers-default-unset = Brooklet は { $kind } を開かなくなりました
handlers-registry-wrote = レジストリキーを書き込みました: { $key }
handlers-registry-removed = レジストリキーを削除しました: { $key }
handlers-not-needed = macOS では何もする必要はありません: Brooklet.app の Info.plist が .torrent ファイルとマグネットリンクを宣言しています
handlers-error-exe = 実行中のプログラムが見つかりません: { $reason }
handlers-error-path = プログラムのパス `{ $path }` はデスクトップエントリに書けません（改行を含まないパスに Brooklet を移動してください）
handlers-error-no-home = ホームフォルダがありません: HOME か XDG_DATA_HOME を設定してください
handlers-error-remove = `{ $path }` を削除できません: { $reason }
handlers-error-tool-missing = { $tool } がインストールされていません（パッケージ { $package } をインストールしてください）
handlers-error-command = `{ $command }` が失敗しました: { $reason }
handlers-error-registry = レジストリキー { $key } を変更できません: { $reason }
cli-torrent-too-large = 10 MiB を超えており、torrent ファイルとしては大きすぎます
cli-bad-torrent = `{ $path }` は使用できる torrent ではありません: { $reason }

cli-bad-port = --port には 0 から 65535 までの数値を指定してください。{ $value } は無効です
cli-bad-peer = 無効なピアアドレスです `{ $peer }`: { $reason }
cli-peer-not-loopback = ピア `{ $peer }` はループバックアドレスではありませんが、BROOKLET_LOOPBACK_ONLY が設定されています
cli-listening = ポート { $port } で待ち受けています
cli-stopping = 停止中: トラッカーに通知し、ファイルを書き出しています…
cli-interrupted = ダウンロードの完了前に中断されました
engine-stopped = エンジンが予期せず停止しました

## Progress
progress-hashing = ハッシュ計算中
progress-checking = チェック中

## brooklet info
info-name = 名前
info-hash = 情報ハッシュ
info-magnet = マグネットリンク
info-size = サイズ
info-size-value = { $size }（{ $bytes } バイト）、{ $files ->
   *[other] { $files } 個のファイル
}
info-pieces = ピース
info-pieces-value = { $count } × { $size }
info-private = プライベート
info-version = バージョン
info-hybrid = v1 + v2 ハイブリッド（v1 を使用）
info-tracker = トラッカー（ティア { $tier }）
info-web-seed = ウェブシード
info-peer = ピア
info-comment = コメント
info-created-by = 作成ソフト
info-created-on = 作成日時
info-files = ファイル
info-selected-files = 選択ファイル
info-magnet-no-metadata = ファイル一覧は、スウォームからメタデータを受信すると分かります。

## brooklet create
create-done = { $path } を書き込みました: { $size }、{ $piece_size } のピース { $pieces } 個、ハッシュ速度 { $rate }。

## brooklet verify
verify-summary = { $total } ピース中 { $have } ピースが検証に合格しました（{ $rate }）。
verify-read-error = ピース { $piece }: { $reason }
verify-incomplete = { $missing ->
   *[other] { $missing } 個のピースが欠落しているか破損しています
}

## brooklet download / seed
download-done = { $name } をダウンロードしました: { $size }、{ $seconds } 秒（{ $rate }）。
download-resumed = 保存された進捗から再開しました: { $total } ピース中 { $have } ピース、ハッシュ検査は不要です。
download-checked = 既存のデータを検査しました: { $total } ピース中 { $have } ピースを確認しました。
seed-ready = { $name } をシード中です。停止するには Ctrl+C を押してください。
seed-incomplete = データが不完全です（{ $missing } 個のピースが欠落または破損）。残りは `brooklet download` で取得できます
peer-banned = ピア { $addr } を BAN しました: ハッシュチェックに失敗したデータを送信しました
bar-metadata = { $peers } ピアからメタデータを取得中
bar-checking = チェック中 { $percent }%
bar-seeding = シード中 ↑ { $up }、アップロード済み { $uploaded }、ピア { $peers }
bar-downloading = [{ $bar }] { $percent }% { $done }/{ $total } ↓ { $down } ピア { $peers } 残り { $eta }

## Desktop app
title-with-rates = Brooklet — ↓ { $down } ↑ { $up }
toolbar-add = torrent を追加
toolbar-add-magnet = リンクを追加
toolbar-start = 開始
toolbar-pause = 一時停止
toolbar-stop = 停止
toolbar-remove = 削除
toolbar-remove-data = データごと削除
filter-placeholder = フィルター (Ctrl+F)
magnet-label = マグネットリンク:
magnet-add = 追加
dismiss = 閉じる
cancel = キャンセル
list-empty = torrent はまだありません。「torrent を追加」（Ctrl+O）を使うか、.torrent ファイルを開いて追加してください。
column-number = #
column-name = 名前
column-size = サイズ
column-done = 進捗状況
column-status = 状態
column-seeds = シード
column-peers = ピア
column-down = ダウン速度
column-up = アップ速度
column-eta = 残り時間
column-ratio = 共有比
column-uploaded = アップロード済み
category-all = すべて
category-downloading = ダウンロード中
category-seeding = シード中
category-completed = 完了
category-active = アクティブ
category-inactive = 非アクティブ
category-paused = 一時停止中
category-errored = エラー
status-metadata = メタデータ取得中
status-checking = チェック中
status-moving = 移動中 { $percent }%
status-stalled = 停滞
status-downloading = ダウンロード中
status-seeding = シード中
status-finished = 完了
status-paused = 一時停止中
status-stopped = 停止
status-error = エラー
status-error-retrying = エラー（{ $seconds } 秒後に再試行）
details-none = torrent を選択すると詳細が表示されます。
details-general = 一般
details-name = 名前
details-hash = 情報ハッシュ
details-pieces = ピース
details-wasted = 破棄
details-peers = 接続
details-peers-value = ピア { $peers }、シード { $seeds }、BAN 済み { $banned }
details-error = 最後のエラー
status-down = ↓ { $rate }
status-up = ↑ { $rate }
status-free-space = 空き: { $size }
status-torrents = torrent: { $count }
status-port = ポート { $port }
status-starting = 起動中…
confirm-remove-data = { $count ->
   *[other] { $count } 個の torrent を削除し、ダウンロードしたファイルも削除しますか？
}
confirm-remove-data-yes = ファイルごと削除
dialog-add-torrent = torrent を追加
dialog-torrent-files = torrent ファイル
error-engine-stopped = 転送エンジンが停止しました。
error-engine-not-ready = 転送エンジンはまだ起動中です。しばらくしてからもう一度お試しください。
error-engine-start = 転送エンジンを起動できませんでした: { $reason }
error-save-folder = ダウンロードフォルダー { $path } を使用できません: { $reason }
error-window = ウィンドウを開けません: { $reason }
error-no-display = グラフィカルディスプレイがありません：DISPLAY も WAYLAND_DISPLAY も設定されていません。デスクトップセッションで実行するか、コマンドライン（brooklet --help）を使ってください。
error-instance-refused = 実行中の Brooklet が要求を拒否しました。
error-instance-unreachable = 実行中の Brooklet に接続できません: { $reason }
warning-instance-endpoint = 単一インスタンスの接続口を用意できません（{ $reason }）。もう一度起動すると別のウィンドウが開きます。

## Desktop app: details panel, context menus, add dialog
column-added = 追加日時
column-completed = 完了日時
column-save-path = 保存先
toolbar-show-details = 詳細を表示
toolbar-hide-details = 詳細を隠す
status-dht = DHT: { $nodes } ノード
details-trackers = トラッカー
details-peers-tab = ピア
details-pieces-tab = ピース
details-files = ファイル
details-transfer = 転送
details-downloaded = ダウンロード済み
details-uploaded = アップロード済み
details-ratio = 共有比
details-speed = 速度
details-speed-value = ↓ { $down }  ↑ { $up }
details-pieces-value = { $count } × { $size }（取得済み { $have }）
details-pieces-have = { $have } / { $total }
details-save-path = 保存先
details-size = 合計サイズ
details-comment = コメント
details-created-by = 作成ソフト
details-created-on = 作成日時
details-added-on = 追加日時
details-completed-on = 完了日時
details-magnet = マグネットリンク
details-many = { $count } 個の torrent を選択中です。
details-waiting = 転送エンジンからの詳細を待っています…
details-no-metadata = スウォームからメタデータを受信するまで表示できるものはありません。
details-no-trackers = この torrent にはトラッカーがありません。
details-no-peers = 接続中のピアはありません。
peer-add = ピアを追加
peer-add-placeholder = IP:ポート
peer-add-bad = 「{ $address }」はピアのアドレスではありません。203.0.113.5:6881 や [2001:db8::1]:6881 のように IP とポートを入力してください。
limits-max-peers = 最大接続ピア数
limits-max-peers-note = 0 = 設定 → 接続 の既定値。
limits-bad-peers = 最大接続ピア数は 0 から { $max } までの整数にしてください。
details-pieces-summary = { $total } ピース中 { $have } ピース取得済み（各 { $size }）
pieces-have = 取得済み
pieces-downloading = ダウンロード中
pieces-missing = 未取得
tracker-url = URL
tracker-tier = 階層
tracker-status = 状態
tracker-peers = ピア
tracker-seeds = シード
tracker-leechers = リーチャー
tracker-next = 次回アナウンス
tracker-warning = 警告
tracker-not-contacted = 未接続
tracker-updating = 更新中…
tracker-working = 正常
tracker-error = エラー: { $reason }
peer-address = アドレス
peer-client = クライアント
peer-flags = フラグ
peer-progress = 進捗状況
peer-downloaded = ダウンロード済み
peer-source = 取得元
source-tracker = トラッカー
source-manual = 手動
source-incoming = 着信
source-dht = DHT
source-pex = PEX
source-magnet = マグネットリンク
file-path = パス
file-priority = 優先度
priority-skip = ダウンロードしない
priority-low = 低
priority-normal = 標準
priority-high = 高
menu-recheck = 強制再チェック
menu-reannounce = 強制再アナウンス
menu-sequential = 順番にダウンロード
menu-first-last = 最初と最後のピースを優先
menu-open-folder = フォルダーを開く
menu-move-data = データを移動…
dialog-move-data = データの新しいフォルダーを選択
menu-copy-magnet = マグネットリンクをコピー
menu-copy-hash = 情報ハッシュをコピー
dialog-add-title = 新しい torrent を追加
dialog-choose-files = ダウンロードするファイルを選択
dialog-choose-folder = ダウンロード先フォルダーを選択
dialog-save-in = 保存先
dialog-browse = 参照…
dialog-start = torrent を開始
dialog-sequential = 順番にダウンロード
dialog-first-last = 最初と最後のピースを優先
dialog-select-all = すべて選択
dialog-select-none = 選択を解除
dialog-files-later = スウォームからメタデータを受信すると、ファイルが一覧表示されます。
dialog-size-unknown = メタデータ受信まで不明
dialog-size-value = { $total }（選択: { $selected }）
dialog-waiting = あと { $count } 個の torrent が待機中
dialog-ok = OK
error-bad-magnet = 無効なマグネットリンクです: { $reason }
error-bad-torrent = { $path } は使用できる torrent ではありません: { $reason }
error-read-torrent = { $path } を読み込めません: { $reason }
error-open-folder = { $path } を開けません: { $reason }
error-no-file-manager = { $path } を開けません: { $program } がインストールされていません。
error-no-files-selected = ダウンロードするファイルを 1 つ以上選択してください。

## Preferences
toolbar-preferences = 設定
prefs-title = 設定
prefs-tab-general = 一般
prefs-tab-connection = 接続
prefs-tab-bittorrent = BitTorrent
prefs-language = 言語
prefs-language-system = システムの既定
prefs-theme = テーマ
prefs-theme-system = システムに合わせる
prefs-theme-light = ライト
prefs-theme-dark = ダーク
prefs-save-path = 新しいトレントの保存先
prefs-save-path-absolute = ダウンロードフォルダーはフルパスで指定してください（例: /home/あなた/ダウンロード）。
prefs-show-add-dialog = 新しいトレントの追加ダイアログを表示する
prefs-confirm-remove = トレントをデータごと削除する前に確認する
prefs-port = 待ち受けポート（0 = ランダム）
prefs-max-connections = 最大接続数
prefs-max-per-torrent = トレントごとの最大接続数
prefs-dht = DHT でピアを探す（トラッカーのないマグネットリンクに必要）
prefs-restart-note = これらの設定は Brooklet の次回起動時に有効になります。
prefs-connection-note = ポートは Brooklet の次回起動時に有効になります。接続数の上限はすぐに適用されます。
prefs-bad-number = { $field }: { $min } から { $max } までの整数を入力してください。
error-settings-save = 設定を保存できませんでした: { $reason }

## Desktop notifications
notify-finished = ダウンロード完了
notify-finished-many = { $count ->
   *[other] { $count } 件のダウンロードが完了しました
}
notify-error = { $name } でエラー
notify-errors-many = { $count ->
   *[other] { $count } 個の torrent がエラーで停止しました
}
notify-and-more = …ほか { $count } 件
notify-metadata = マグネットリンクの準備完了
notify-metadata-body = { $name }: ファイル一覧を受信しました。
notify-open-folder = フォルダーを開く
prefs-notify-finished = ダウンロードの完了時とマグネットリンクの準備完了時に通知する
prefs-notify-errors = torrent がエラーで停止したときに通知する
warning-notifications = デスクトップ通知を利用できません ({ $reason })。Brooklet は通知なしで動作を続けます。

## Speed tab
speed-download = ダウンロード
speed-upload = アップロード
speed-window = 直近 5 分間
speed-this-torrent = このトレント
speed-all-torrents = すべてのトレント
speed-peak = 最大: { $rate }

## Tray and start-up
tray-show-hide = Brooklet を表示 / 非表示
tray-pause-all = すべて一時停止
tray-resume-all = すべて再開
tray-alt-speed = 代替速度制限
tray-quit = Brooklet を終了
confirm-quit = Brooklet を終了しますか？ 再び起動するまでダウンロードとシードは止まります。
confirm-quit-yes = 終了
prefs-tab-desktop = デスクトップ
prefs-close-to-tray = ウィンドウを閉じてもトレイで動作を続ける
prefs-start-minimized = ウィンドウを隠してトレイで起動する
prefs-start-on-login = ログイン時に Brooklet を起動する
prefs-tray-missing = システムトレイが見つかりません。ウィンドウを閉じると（確認の後）Brooklet は終了し、起動時は常にウィンドウを表示します。
prefs-handlers = .torrent ファイルとマグネットリンクを Brooklet で開く
prefs-handlers-button = 既定にする
prefs-handlers-done = .torrent ファイルとマグネットリンクは Brooklet で開かれるようになりました。
error-handlers = Brooklet を既定にできませんでした: { $reason }
error-autostart = ログイン時の起動を変更できませんでした: { $reason }
warning-no-tray = システムトレイがありません（{ $reason }）。ウィンドウを閉じると Brooklet は終了します。

## Speed limits (rate limits, alternative limits and their schedule)
cli-usage-limits =
    速度制限 (download と seed):
      --max-down RATE, --max-up RATE
          ダウンロードまたはアップロードを毎秒 RATE バイトに制限します。整数に単位を付けられます
          (例: 500K、1M。0 は制限なし)。
prefs-tab-speed = 速度
prefs-speed-global = 全体の制限
prefs-speed-alt = 代替の制限
prefs-speed-down = 下り
prefs-speed-up = 上り
prefs-speed-units = 制限は KiB/s 単位です。0 は制限なしです。
prefs-speed-scheduled = このスケジュールで代替の制限に切り替える
prefs-speed-schedule-note = 時間をクリックすると切り替わります。強調表示された時間は代替の制限を使います (現地時刻)。手動の切り替えはスケジュールが次に変わるまで有効です。
day-mon = 月
day-tue = 火
day-wed = 水
day-thu = 木
day-fri = 金
day-sat = 土
day-sun = 日
limit-none = ∞
status-limits = 制限 ↓ { $down } ↑ { $up }
status-alt-speed = 代替速度
status-alt-speed-on = 代替の速度制限が有効です。クリックすると通常の制限に戻ります
status-alt-speed-off = クリックすると代替の速度制限を使います
menu-set-limits = 制限を設定…
limits-title = { $count ->
   *[other] { $count } 個のトレントの制限とシード目標
}
limits-down = ダウンロードの制限
limits-up = アップロードの制限
goal-global = 全体の既定値
goal-unlimited = 無制限
goal-value = 個別の値
limits-bad-rate = { $field }: 0 から { $max } までの整数 (KiB/s) を入力してください。

## Create torrent and drag and drop
toolbar-create = トレントを作成
create-title = 新しいトレントを作成
create-source = 共有するもの
create-source-placeholder = ファイルまたはフォルダー
create-pick-file = ファイル…
create-pick-folder = フォルダー…
create-pick-title = 共有するものを選択
create-no-source = ファイルかフォルダーを選ぶか、ウィンドウにドロップしてください。
create-scanning = ファイルを読み込み中…
create-source-summary = { $files } 個のファイル、{ $size }
create-trackers = トラッカー
create-trackers-hint = 1 行に 1 つの URL。空行で新しい階層になります。
create-piece-size = ピースサイズ
create-piece-auto = 自動
create-piece-count = { $piece } のピース { $pieces } 個
create-comment = コメント
create-private = プライベートトレント
create-start-seeding = シードを開始
create-create = 作成
create-hashing-title = トレントを作成中…
create-hashing-progress = { $total } 中 { $done } をハッシュ済み（{ $percent } %）
create-cancelling = 停止中…
create-cancelled = キャンセルしました。トレントは作成されていません。
create-done-title = トレントを作成しました
create-size-pieces = { $size }、{ $piece } のピース { $pieces } 個
create-saved-as = 保存先
create-not-saved = まだ保存されていません
create-seeding = 元のファイルからチェックなしでシード中です。
create-save = 保存…
create-save-beside = ファイルの隣に保存
create-save-title = トレントの保存先
create-copy-magnet = マグネットリンクをコピー
create-close = 閉じる
create-bad-tracker = { $line } 行目はトラッカー URL（http://、https://、udp://）ではありません: { $url }
create-too-many-trackers = トラッカーは最大 { $max } 個までです。
create-error-empty = { $path } にはデータがありません。ファイルがすべて空か、ファイルがありません。
create-error-too-many-files = { $path } には { $max } 個を超えるファイルがあり、1 つのトレントには多すぎます。
create-error = トレントを作成できませんでした: { $reason }
create-error-write = { $path } に書き込めません: { $reason }
drop-hint-title = ここにドロップ
drop-hint-torrents = .torrent ファイルは追加されます。
drop-hint-create = その他のファイルやフォルダーは「新しいトレントを作成」を開きます。
error-paste-nothing = クリップボードにマグネットリンクも .torrent ファイルのパスもありません。

## Seeding goals
prefs-seed-goals = シードの目標
prefs-seed-ratio = 共有比がこの値でシードを停止
prefs-seed-minutes = シードを停止するまでの時間（分）
prefs-seed-idle = アップロードなしでシードを停止 (分)
prefs-goal-action = 目標に達したとき
prefs-goal-pause = トレントを一時停止
prefs-goal-remove = トレントを削除 (データは残す)
prefs-seed-goals-note = 空欄は無制限です。目標に達したトレントは選択に従って一時停止または削除されます。一時停止したものは手動で再開するとシードを続けます。
prefs-bad-ratio = 共有比: 0.01 から { $max } までの数を入力するか、空欄にしてください。

## Queue
status-queued = 待機中
status-check-queued = チェック待ち
status-queued-seed = 待機中 (シード)
status-forced-downloading = [強制] ダウンロード中
status-forced-seeding = [強制] シード中
menu-force-start = 強制開始
menu-queue-top = キューの先頭へ移動
menu-queue-up = キューで上へ移動
menu-queue-down = キューで下へ移動
menu-queue-bottom = キューの末尾へ移動
toolbar-queue-up = ▲
toolbar-queue-down = ▼
prefs-tab-queueing = キュー
prefs-queueing = 同時に実行するトレントの数を制限し、残りはキューで待機させる
prefs-queue-downloads = 最大アクティブダウンロード数
prefs-queue-seeds = 最大アクティブシード数
prefs-queue-active = 最大アクティブトレント数
prefs-queue-ignore-slow = 低速なトレントを数に含めない
prefs-queue-rule = キューの順に、ダウンロード中のトレントはダウンロード枠を、完了したトレントはシード枠を使い、どちらもアクティブ枠を 1 つ使います。必要な枠が空いていなければ待機します (待機中)。1 分間 2 KiB/s 未満 (ダウンロードは受信速度、シードは送信速度) のトレントは低速とみなし、実行を続けたまま枠を空けます。
prefs-queue-force-note = 一時停止中、エラー、ハッシュチェック (一度に 1 つ)、ファイル情報を取得中のマグネットリンクは枠を使いません。強制開始はキューに関係なく実行し、開始でキューに戻します。

## Labels
column-label = ラベル
sidebar-labels = ラベル
sidebar-trackers = トラッカー
sidebar-trackerless = トラッカーなし
sidebar-tracker-error = トラッカーエラー
label-empty = ラベルには名前が必要です。
label-too-many = ラベルは最大 { $max } 個です。
label-title = { $count } 個のトレントのラベル
label-name = 名前
label-name-placeholder = 例: Linux
label-pick = 既存のラベル
label-colour = 色
label-save-path = 新しいトレントの保存先
label-save-path-placeholder = (通常のフォルダー)
label-note = 制限は KiB/s、0 = なし。ラベルを付けたトレントに適用されます。フォルダーはラベル付きで追加するトレントに使われます。
label-clear = ラベルなし
label-delete = ラベルを削除
menu-label = ラベル…
dialog-label = ラベル
dialog-no-label = (なし)

## IP filter and peer bans
cli-usage-ip-filter =
    IP フィルター（download と seed）:
      --ip-filter FILE
          FILE に載っているアドレスには接続せず、接続も受け付けません:
          eMule の ipfilter.dat または PeerGuardian の .p2p リスト。
cli-bad-ip-filter = IP フィルター: { $reason }
cli-ip-filter-loaded = IP フィルター: { $ranges } 件のアドレス範囲をブロック（読めない行 { $bad } 行をスキップ）
prefs-ip-filter = IP フィルターを有効にする
prefs-ip-filter-file = フィルターリスト（ipfilter.dat または .p2p）
prefs-ip-filter-reload = 再読み込み
prefs-ip-filter-off = IP フィルターは使われていません。
prefs-ip-filter-loading = IP フィルターを読み込み中…
prefs-ip-filter-loaded = { $ranges } 件のアドレス範囲をブロックしています。
prefs-ip-filter-bad-lines = 読めない行 { $bad } 行をスキップしました（最初は { $line } 行目）。
prefs-ip-filter-error = IP フィルターを読み込めませんでした: { $reason }
prefs-ip-filter-no-file = フィルターリストを選ぶか、IP フィルターをオフにしてください。
prefs-blocked-connections = このセッションでブロックした接続試行: { $count }
dialog-choose-ip-filter = IP フィルターリストを選択
dialog-ip-filter-files = IP フィルターリスト
menu-ban-peer = このセッションの間ピアを禁止
menu-ban-peer-permanently = ピアを永久に禁止
prefs-banned-peers = 禁止したピア: { $count }
prefs-lift-bans = すべての禁止を解除

## Port reachability
status-port-open = ポート { $port } ✓
status-port-open-tip = ピアから接続がありました。ポートは外部から到達できます。
status-port-unknown-tip = まだピアからの接続がありません。ずっと接続がない場合は、ルーターやファイアウォールでポートが閉じられている可能性があります。ポートを転送するか、UPnP を有効にしてください。
menu-open = 開く
error-not-on-disk = { $path } はまだディスク上にありません。

# トラッカーの編集
trackers-edit = トラッカーを編集…
trackers-title = { $name } のトラッカー
trackers-hint = 1 行に 1 つのアナウンス URL。空行で新しいティアを始めます。削除したトラッカーには停止を通知し、新しいトラッカーにはすぐに問い合わせます。
trackers-bad-url = トラッカーの URL ではありません（ホスト付きの http://、https://、udp://）: { $url }
menu-remove-tracker = トラッカーを削除
menu-copy-tracker-url = URL をコピー
prefs-announce-all-tiers = すべてのティアのすべてのトラッカーにアナウンスする
prefs-announce-all-tiers-note = オフ: 各アナウンスはティアごとに最初に応答したトラッカーへ送ります（BEP 12）。オン: 毎回すべてのティアのすべてのトラッカーに問い合わせます。
prefs-direct-writes = ダウンロードをシステムのファイルキャッシュを通さずに書き込む
prefs-direct-writes-note = ダウンロード 1 バイトあたりの CPU 時間が減り、ダウンロードが他のプログラムのファイルをメモリから追い出しません。ファイルシステムが対応していない場合はキャッシュを使います。
prefs-limit-overhead = 制限にデータだけでなくプロトコルのオーバーヘッドも含める
prefs-move-completed = 完了したダウンロードの移動先
prefs-torrent-copies = .torrent ファイルのコピーの保存先
prefs-folder-absolute = { $field }: フォルダーはフルパスで指定してください（例: /home/あなた/完了）。
prefs-folder-missing = { $field }: フォルダーを選ぶか、このオプションをオフにしてください。
prefs-pex = 他のピアとピア情報を交換する（PEX）
prefs-pex-note = すぐに有効になります。プライベートトレントはピア交換を使いません。
prefs-random-port = 起動するたびにランダムなポートを使う
