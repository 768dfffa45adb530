"""The Chinese wording of every problem: one typed table of codes, each owning its sentence and hint.

Input: nothing. Output: :class:`Code`, one member per problem code. ``Code.FILE_MISSING`` is the
string ``"file.missing"`` (a :class:`~enum.StrEnum`), and carries ``.text`` (the message) and
``.hint``; both are ``str.format`` templates over the problem's ``args``. A :class:`Problem
<bulletin_kit.problems.Problem>` takes a ``Code``, so a mistyped code fails where it is written
(``mypy``, ``tests/test_messages.py``), not when the problem is shown. :data:`MESSAGES` is the same
table as ``{code: (text, hint)}``. Tests pin these texts.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """A problem code with its Chinese message and hint (``str.format`` templates over ``args``)."""

    text: str
    hint: str

    def __new__(cls, value: str, text: str = "", hint: str = "") -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.text = text
        member.hint = hint
        return member

    # --- reading the file -------------------------------------------------
    FILE_MISSING = (
        "file.missing",
        "找不到文件",
        "请检查文件名和路径",
    )
    FILE_TOO_LARGE = (
        "file.too_large",
        "文件过大（{size_mb:.1f} MB），超过上限 {limit_mb} MB",
        "期刊文件只应包含文字；图片请放在同一文件夹，用路径引用",
    )
    FILE_NOT_YAML = (
        "file.not_yaml",
        "这不是期刊文件（扩展名为 {suffix}，应为 .yaml）",
        "部门的 Word 或文本稿件请用 bulletin import 稿件 --into 期刊文件.yaml 导入",
    )
    FILE_EMPTY = (
        "file.empty",
        "文件是空的",
        "请先用 bulletin new 生成一期，或参照 issues/2018-28.yaml 填写",
    )
    FILE_GBK = (
        "file.gbk",
        "文件是 GBK/GB18030 编码，已按 GBK 读取",
        "建议另存为 UTF-8：在记事本或 VS Code 中选择“另存为 → 编码 UTF-8”",
    )
    FILE_ENCODING = (
        "file.encoding",
        "无法识别文件编码：不是 UTF-8 也不是简体 GBK，看起来是{likely}",
        "请用记事本或 VS Code 另存为 UTF-8 编码后重试",
    )
    FILE_NOT_REGULAR = (
        "file.not_regular",
        "这是一个{kind}，不是普通文件，未读取",
        "期刊文件、series.yaml 和来稿都必须是普通文件；请检查文件名",
    )
    FILE_UNREADABLE = (
        "file.unreadable",
        "无法读取文件：{detail}",
        "请检查文件的权限，或它是否正被其他程序占用",
    )
    FILE_NOT_MAPPING = (
        "file.not_mapping",
        "文件顶层应为“字段: 值”的形式，实际为{got}",
        "请参照 issues/2018-28.yaml 的写法",
    )
    # --- YAML syntax ------------------------------------------------------
    YAML_TAB = (
        "yaml.tab",
        "使用了制表符（Tab）缩进",
        "YAML 只能用空格缩进，请把 Tab 换成空格",
    )
    YAML_SYNTAX = (
        "yaml.syntax",
        "YAML 格式错误：{detail}",
        "请检查这一行及上一行的缩进、冒号和引号",
    )
    YAML_DUPLICATE_KEY = (
        "yaml.duplicate_key",
        "字段 '{key}' 重复出现（第一次在第 {first_line} 行）",
        "同一层级的字段只能写一次，请删除或合并其中一个",
    )
    YAML_TAG = (
        "yaml.tag",
        "不允许的 YAML 标签 '{tag}'",
        "期刊文件只能包含文字、数字、日期、列表和字段，请删除这个标签",
    )
    YAML_ALIAS_BOMB = (
        "yaml.alias_bomb",
        "YAML 别名（*引用）展开后内容过多（{nodes} 项、{chars_mb:.1f} MB 文字，"
        "上限 {limit} 项、{limit_mb} MB）",
        "请不要用 & 和 * 反复引用；直接写出内容",
    )
    YAML_TOO_DEEP = (
        "yaml.too_deep",
        "列表或字段嵌套超过 {limit} 层",
        "期刊文件最多嵌套几层（articles → 文章 → 字段）；请检查是否多写了“[”“{{”或“- ”",
    )
    YAML_MERGE_KEY = (
        "yaml.merge_key",
        "不支持合并字段“<<”",
        "请把要合并的字段直接写在这里；整套刊物通用的内容写在 series.yaml",
    )
    YAML_BAD_DATE = (
        "yaml.bad_date",
        "日期 '{value}' 不存在",
        "请写成 年-月-日，例如 2018-12-20，并检查月份和日期",
    )
    YAML_KEY_NOT_STRING = (
        "yaml.key_not_string",
        "字段名应为文字，实际为 '{key}'",
        "请检查这一行的写法",
    )
    # --- schema -----------------------------------------------------------
    SCHEMA_UNKNOWN_KEY = (
        "schema.unknown_key",
        "未知字段 '{key}'",
        "{suggestion}",
    )
    SCHEMA_MISSING = (
        "schema.missing",
        "缺少必填字段（{what}）",
        "请添加这一项",
    )
    SCHEMA_TYPE = (
        "schema.type",
        "应为{expected}，实际为 {got}",
        "{hint}",
    )
    SCHEMA_POSITIVE = (
        "schema.positive",
        "应为大于 0 的整数，实际为 {got}",
        "{hint}",
    )
    SCHEMA_TOO_LARGE = (
        "schema.too_large",
        "应不大于 {limit}，实际为 {got}",
        "请检查是否多写了数字",
    )
    SCHEMA_CHOICE = "schema.choice", "应为 {choices} 之一，实际为 {got}"
    SCHEMA_INVALID = "schema.invalid", "取值无效：{detail}"
    SCHEMA_TOO_MANY_TITLE_LINES = (
        "schema.too_many_title_lines",
        "标题最多两行，实际为 {n} 行",
        "请缩短标题，或把第二行改为 subtitle（副题）",
    )
    SCHEMA_EMPTY_TEXT = (
        "schema.empty_text",
        "内容为空",
        "请填写内容，或删除这一项",
    )
    # --- paths ------------------------------------------------------------
    PATH_OUTSIDE = (
        "path.outside",
        "路径 '{value}' 指向本期文件夹之外",
        "为安全起见只能引用与期刊文件在同一文件夹（或其子文件夹）中的文件",
    )
    PATH_NOT_FOUND = (
        "path.not_found",
        "找不到文件 '{value}'（相对于 {base}）",
        "请检查文件名，图片需放在期刊文件所在的文件夹中",
    )
    PATH_NOT_IMAGE = (
        "path.not_image",
        "'{value}' 不是可用的图片（{detail}）",
        "请使用 JPG 或 PNG 图片",
    )
    # --- body text --------------------------------------------------------
    BODY_CONTROL_CHARS = (
        "body.control_chars",
        "含有 {n} 个不可见的控制字符，已删除",
        "这些字符通常来自复制粘贴，删除后不影响正文",
    )
    BODY_TABLE_RAGGED = (
        "body.table_ragged",
        "表格第 {row} 行有 {got} 格，表头有 {want} 格",
        "已用空格补齐，没有删掉任何内容；请检查是否多写或少写了“|”",
    )
    BODY_INLINE_IMAGE = (
        "body.inline_image",
        "图片写在了句子中间",
        "图片必须单独成段：在 ![图注](文件名) 的前后各空一行",
    )
    BODY_EMPHASIS_UNMATCHED = (
        "body.emphasis_unmatched",
        "加粗标记 ** 没有配对，星号会原样印出",
        "请检查这一段的 ** 是否成对；要印出星号请写成 \\*",
    )
    BODY_EMPHASIS_SINGLE = (
        "body.emphasis_single",
        "单个星号 *…* 不表示加粗，星号会原样印出",
        "加粗请写 **文字**；要印出星号请写成 \\*",
    )
    BODY_IMAGE_WIDTH = (
        "body.image_width",
        "图片宽度 {{{value}}} 无法识别，已按原宽度排版",
        "可写 {{全宽}}、{{1/2}}、{{1/3}}、{{2/3}} 或百分比如 {{40%}}",
    )
    BODY_BOX_CONTENT = (
        "body.box_content",
        "::: 框内只能放文字段落，图片和表格已移到框后",
        "请把图片或表格写在 ::: 框的外面",
    )
    # --- limits (bulletin_kit/limits.py, docs/issue-format.md) --------------
    LIMIT_ARTICLES = (
        "limit.articles",
        "一期有 {n} 篇文章，超过上限 {limit} 篇",
        "请检查是否把多期内容写进了一个文件",
    )
    LIMIT_PARAGRAPHS = (
        "limit.paragraphs",
        "正文有 {n} 段，超过上限 {limit} 段",
        "请检查是否把多篇文章写进了一篇",
    )
    LIMIT_PARAGRAPH_CHARS = (
        "limit.paragraph_chars",
        "一段有 {n} 个字，超过上限 {limit} 字",
        "请在段与段之间空一行；如果是复制来的长文本，请检查是否缺少换行",
    )
    BODY_TOO_DEEP = (
        "body.too_deep",
        "引语“>”套了超过 {limit} 层",
        "引语只需要一层：每段前写一个“> ”；要印出“>”本身，在前面加“\\”",
    )
    LIMIT_TABLE = (
        "limit.table",
        "表格有 {rows} 行 {cols} 列，超过上限 {max_rows} 行、{max_cols} 列",
        "A4 版面放不下这么宽或这么长的表格；请拆成几个表格，或作为附件另行印发",
    )
    # --- content ------------------------------------------------------------
    ISSUE_NO_ARTICLES = (
        "issue.no_articles",
        "本期还没有文章",
        "在 articles 下添加文章；空的一期仍可预览",
    )
    # --- building ---------------------------------------------------------
    BUILD_EDITED = (
        "build.edited",
        "{file} 在上次生成之后被修改过（可能有人在 Word 里审阅过），未覆盖",
        "审阅意见请先用 bulletin merge {file} 写回期刊文件；"
        "确认要重新生成时加 --force（原文件会备份为 {backup}）",
    )
    BUILD_BACKUP = "build.backup", "{file} 被修改过，已备份为 {backup} 后重新生成"
    BUILD_FAILED = (
        "build.failed",
        "生成 {fmt} 失败：{detail}",
        "未写入任何文件；请把这条信息反馈给维护者",
    )
    BUILD_WORKER_DIED = (
        "build.worker_died",
        "生成 {fmt} 的子进程意外结束（{detail}）",
        "未写入 {fmt}；可能是内存不足，请重试，仍然失败时请把这条信息反馈给维护者",
    )
    BUILD_BLOCKED = (
        "build.blocked",
        "无法写入：{detail}",
        "请把挡住的文件夹或特殊文件改名或移走，或用 -o 指定其他输出文件夹",
    )
    BUILD_OS_ERROR = (
        "build.os_error",
        "无法写入输出文件夹 {folder}：{detail}",
        "请腾出磁盘空间、检查文件夹权限，或用 -o 指定其他文件夹；未留下任何不完整的文件",
    )
    BUILD_NO_FILES = (
        "build.no_files",
        "{folder} 中没有期刊文件（*.yaml）",
        "请指定期刊文件，或先用 bulletin new 生成一期",
    )
    BUILD_INTERRUPTED = "build.interrupted", "已中断（{signal}），未留下任何不完整的文件"
    # --- series checks (bulletin check on a folder) ----------------------
    SERIES_DUPLICATE_TOTAL = (
        "series.duplicate_total",
        "与 {other} 都是总第{total}期",
        "一期只能有一个文件；请改正其中一个的 total_no",
    )
    SERIES_DUPLICATE_NO = (
        "series.duplicate_no",
        "与 {other} 都是{label}",
        "请改正其中一个的 issue_no",
    )
    SERIES_GAP_TOTAL = (
        "series.gap_total",
        "与上一期 {other} 之间缺少总第{missing}期",
        "如果确实停刊或文件不在此文件夹，可忽略",
    )
    SERIES_GAP_NO = (
        "series.gap_no",
        "与上一期 {other} 之间缺少第{missing}期",
        "如果确实停刊或文件不在此文件夹，可忽略",
    )
    SERIES_BACKWARDS_TOTAL = (
        "series.backwards_total",
        "总期号 {total} 比上一期 {other} 的 {prev_total} 小",
        "请检查 total_no",
    )
    SERIES_BACKWARDS_NO = (
        "series.backwards_no",
        "期号 {no} 比上一期 {other} 的 {prev_no} 小",
        "请检查 issue_no",
    )
    SERIES_DATE_BACKWARDS = (
        "series.date_backwards",
        "日期早于上一期 {other}",
        "请检查 date",
    )
    # --- bulletin new -----------------------------------------------------
    NEW_EXISTS = (
        "new.exists",
        "{file} 已存在，未覆盖",
        "如要重新生成，请先改名或删除原文件",
    )
    NEW_TOO_LARGE = (
        "new.too_large",
        "下一期的期号会超过 {limit}，无法排成中文数字",
        "请检查上一期的 issue_no，或用 --from 指定正确的上一期",
    )
    OS_ERROR = (
        "os.error",
        "无法读写：{detail}",
        "请检查磁盘空间、文件夹权限和文件名；这不是期刊文件的问题",
    )
    NEW_NO_FOLDER = (
        "new.no_folder",
        "找不到文件夹 {folder}",
        "请在刊物文件夹（如 issues/）中运行，或指定文件夹",
    )
    # --- docx writer --------------------------------------------------------
    DOCX_TEMPLATE_MISSING = (
        "docx.template_missing",
        "找不到 Word 模板 '{path}'",
        "请检查 series.yaml 中 layout.docx_template 的路径；不写则使用自带模板 templates/bulletin.docx",
    )
    DOCX_TEMPLATE_BAD = (
        "docx.template_bad",
        "Word 模板 '{path}' 无法打开（{detail}）",
        "模板必须是 .docx 文件（不是 .doc 或 .dotx）：请在 Word 中另存为“Word 文档 (*.docx)”",
    )
    DOCX_TEMPLATE_ERROR = (
        "docx.template_error",
        "Word 模板 '{path}' 中的占位符有误：{detail}",
        "占位符的写法见 docs/docx-template.md，例如 {{{{ name }}}}",
    )
    DOCX_TEMPLATE_REFUSED = (
        "docx.template_refused",
        "Word 模板 '{path}' 中的占位符 {tag} 被拒绝：{reason}",
        "模板只是版式，不能含代码；只能用 docs/docx-template.md 列出的变量和过滤器，如 {{{{ name }}}}",
    )
    DOCX_TEMPLATE_NO_BODY = (
        "docx.template_no_body",
        "Word 模板 '{path}' 中没有正文位置 {{{{ body }}}}",
        "请在模板中单独一段写上 {{{{ body }}}}，文章将排在这里",
    )
    DOCX_STYLE_MISSING = (
        "docx.style_missing",
        "Word 模板中没有样式“{style}”，已改用默认段落样式",
        "在模板中新建名为“{style}”的样式即可控制这部分的格式",
    )
    DOCX_REFERENCE_BAD = (
        "docx.reference_bad",
        "Word 参考样式文件 '{path}' 无法使用（{detail}）",
        "layout.reference_docx 必须是 .docx 文件（不是 .doc 或 .dotx），做法见 docs/docx-template.md",
    )
    DOCX_IMAGE_FAILED = (
        "docx.image_failed",
        "图片 '{path}' 无法放入 Word 文件（{detail}），已跳过",
        "请把图片另存为 JPG 或 PNG 后重试",
    )
    DOCX_MASTHEAD_LONG = (
        "docx.masthead_long",
        "刊名较长，缩小到 {size} 磅（小于初号）才能排成一行",
        "可以缩短刊名，或在 Word 模板中调整“刊名”样式",
    )
    # --- pdf writer ---------------------------------------------------------
    PDF_REFUSED_URL = (
        "pdf.refused_url",
        "PDF 排版时拒绝读取 '{url}'：只能使用本期文件夹中的文件",
        "图片和样式表请放在期刊文件所在的文件夹（或其子文件夹）中，不能引用网址或其他位置的文件",
    )
    PDF_RESOURCE = (
        "pdf.resource",
        "PDF 排版时无法使用某个资源：{detail}",
        "请检查图片或样式表文件是否完好",
    )
    PDF_WEASYPRINT = "pdf.weasyprint", "PDF 排版警告：{detail}"
    PDF_NO_FONT = (
        "pdf.no_font",
        "没有安装“{role}”字体栈中的任何字体（{stack}）",
        "请运行 bash scripts/setup.sh 安装免费替代字体，或安装相应的办公字体",
    )
    PDF_MISSING_GLYPHS = (
        "pdf.missing_glyphs",
        "字体缺字：{role}（{office}）及其替代字体都没有这些字：{chars}",
        "打印时这些字会变成方框或改用其他字体；请安装{office}，或运行 bulletin fonts 查看详情",
    )
    PDF_UNSUPPORTED_WEASYPRINT = (
        "pdf.unsupported_weasyprint",
        "不支持当前安装的 WeasyPrint：{detail}",
        "请运行 bash scripts/setup.sh 按 requirements.lock 重新安装测试过的版本（范围见 pyproject.toml）",
    )
    # --- importer (bulletin import) --------------------------------------------
    IMPORT_UNSUPPORTED = (
        "import.unsupported",
        "不能导入“{suffix}”文件",
        "可导入 .docx、.txt、.md；.doc 和 .wps 文件请先在 Word 或 WPS 中另存为 .docx",
    )
    IMPORT_READ_FAILED = (
        "import.read_failed",
        "无法打开这个 Word 文件（{detail}）",
        "请确认它是 .docx 文件（不是改了扩展名的 .doc），并且能在 Word 中打开",
    )
    IMPORT_TOO_LARGE = (
        "import.too_large",
        "文件过大（{size_mb:.1f} MB），超过上限 {limit_mb} MB",
        "请确认选对了文件",
    )
    IMPORT_ZIP_BOMB = (
        "import.zip_bomb",
        "Word 文件中的“{member}”解压后有 {size_mb:.0f} MB（压缩比 {ratio:.0f}:1），未导入",
        "上限：每个部分 {limit_mb} MB、合计 {total_mb} MB、压缩比 {limit_ratio}:1；"
        "正常的稿件远小于此，请确认文件来源，或在 Word 中另存后重试",
    )
    IMPORT_GBK = "import.gbk", "文件是 GBK/GB18030 编码，已自动识别"
    IMPORT_CLEANED = "import.cleaned", "已整理：{changes}"
    IMPORT_CHECK = (
        "import.check",
        "请核对：{changes}",
        "导入时没有改动这里",
    )
    IMPORT_JOINED = (
        "import.joined",
        "与上一段（第 {prev} 行）合并：上一段以“{tail}”结尾，这一段以“{head}”开头",
        "原文在换页或复制时从句子中间断开了；如果确是两段，请在导入后拆开",
    )
    IMPORT_EMPTY_DROPPED = "import.empty_dropped", "删除了 {n} 个空段落（第 {lines} 行）"
    IMPORT_RULE_DROPPED = "import.rule_dropped", "删除了分隔线"
    IMPORT_NUMBERING = "import.numbering", "Word 自动编号“{number}”已写成文字"
    IMPORT_NO_TITLE = (
        "import.no_title",
        "第 {n} 篇文章没有找到标题，暂用“{title}”",
        "请在导入后修改 title；标题应单独占一行，放在正文之前",
    )
    IMPORT_UNCLASSIFIED = (
        "import.unclassified",
        "{n} 个短段落无法归类，已按普通段落保留：{items}",
        "如果是小标题，请在 YAML 正文中给该段行首加“# ”；如果是正文，不用处理",
    )
    IMPORT_LONG_HEADING = (
        "import.long_heading",
        "“{start}”按编号当作标题，但标题长达 {n} 字",
        "原文可能在标题后漏了句号：请在标题末尾补上“。”，后面的文字就会排成正文",
    )
    IMPORT_IMAGE_SKIPPED = (
        "import.image_skipped",
        "图片没有导入（用 --stdout 时没有期刊文件夹可以保存图片）",
        "请用 --into 期刊文件 导入，图片会保存在期刊文件旁边",
    )
    IMPORT_IMAGE_FORMAT = (
        "import.image_format",
        "图片格式“{ext}”无法排版，已跳过这张图片",
        "请在 Word 中把图片另存为 JPG 或 PNG，插入后重新导入",
    )
    IMPORT_IMAGE_LINKED = (
        "import.image_linked",
        "图片是链接到外部文件的，没有导入",
        "请在 Word 中把图片嵌入文档后重新导入",
    )
    IMPORT_IMAGE_MISSING = (
        "import.image_missing",
        "找不到图片“{src}”，已按文字保留",
        "图片需放在 .md 文件所在的文件夹（或其子文件夹）中",
    )
    IMPORT_LOST = (
        "import.lost",
        "导入结果缺少原文中的这些字：{chars}",
        "未写入任何文件；这是程序的错误，请把原文件发给维护者",
    )
    IMPORT_NOTHING = (
        "import.nothing",
        "没有导入任何文章",
        "请检查文件是否为空",
    )
    IMPORT_SAME_FILE = (
        "import.same_file",
        "不能把期刊文件本身当作来稿导入",
        "请检查命令中的文件名",
    )
    IMPORT_INTO_SERIES = (
        "import.into_series",
        "不能把文章导入 series.yaml",
        "series.yaml 只放整套刊物的设置；请指定某一期的文件，如 issues/2018-28.yaml",
    )
    IMPORT_TARGET_MISSING = (
        "import.target_missing",
        "找不到期刊文件",
        "请先用 bulletin new 生成这一期，再导入文章",
    )
    IMPORT_TARGET_INVALID = (
        "import.target_invalid",
        "期刊文件本身有错误，未导入",
        "请先按下面列出的问题修改（可用 bulletin check 检查），再导入",
    )
    IMPORT_FLOW_ARTICLES = (
        "import.flow_articles",
        "articles 写成了 [...] 的形式，无法在末尾追加",
        "请把 articles 改成每篇以“- title:”开头、逐行书写的形式",
    )
    IMPORT_REFUSED = (
        "import.refused",
        "追加后期刊文件无法正确读回（{detail}），未写入",
        "期刊文件没有改动；请把来稿和期刊文件发给维护者",
    )
    # --- importer: news pages copied from a PDF ----------------------------------------------------
    IMPORT_PAGE_NUMBER = (
        "import.page_number",
        "删除了单独一行的页码“{text}”",
        "复制 PDF 时页码混进了正文",
    )
    IMPORT_CAPTION = (
        "import.caption",
        "图注“{caption}”已从正文中取出，生成了待补的图片“{name}”",
        "请把这张照片以该文件名放到期刊文件旁边，或在正文中改成照片的实际文件名",
    )
    IMPORT_CAPTION_INLINE = (
        "import.caption_inline",
        "图注“{caption}”夹在句子中间，已取出（句子接回），生成了待补的图片“{name}”",
        "请核对这一句；把这张照片以该文件名放到期刊文件旁边，或在正文中改成照片的实际文件名",
    )
    IMPORT_DECORATION = "import.decoration", "删除了署名前的装饰符号“{mark}”"
    BODY_PICTURE_PENDING = (
        "body.picture_pending",
        "图片“{value}”还没有放进本期文件夹（导入时由图注生成的占位），这张图片和图注暂不印出",
        "请把照片以该文件名放到期刊文件旁边，或把路径改成照片的实际文件名",
    )
    # --- content lint (bulletin check) -----------------------------------------------------------
    # One code per Chinese text rule of bulletin_kit/cjk.py: the rule's own sentence is the message.
    LINT_PUNCT_HALFWIDTH = "lint.punct.halfwidth", "{desc}", "{hint}"
    LINT_WIDTH_FULLWIDTH_ALNUM = "lint.width.fullwidth_alnum", "{desc}", "{hint}"
    LINT_SPACE_BEFORE_FULLWIDTH = "lint.space.before_fullwidth", "{desc}", "{hint}"
    LINT_SPACE_CJK_ASCII = "lint.space.cjk_ascii", "{desc}", "{hint}"
    LINT_SPACE_BETWEEN_HAN = "lint.space.between_han", "{desc}", "{hint}"
    LINT_PUNCT_DOUBLED = "lint.punct.doubled", "{desc}", "{hint}"
    LINT_QUOTE_ASCII = "lint.quote.ascii", "{desc}", "{hint}"
    LINT_ELLIPSIS = "lint.ellipsis", "{desc}", "{hint}"
    LINT_DASH_HYPHEN = "lint.dash.hyphen", "{desc}", "{hint}"
    LINT_PAIR_UNMATCHED = "lint.pair.unmatched", "{desc}", "{hint}"
    LINT_PUNCT_DOT = "lint.punct.dot", "{desc}", "{hint}"
    LINT_HEADING_SEQUENCE = (
        "lint.heading_sequence",
        "标题编号不连续：应为“{want}”，实际为“{got}”",
        "请检查是否漏了或多了一节",
    )
    LINT_HEADING_SKIPPED = (
        "lint.heading_skipped",
        "“{got}”前面没有上一级标题（{parent}）",
        "请检查标题层级：一、（一）1.（1）",
    )
    LINT_UNPAIRED = (
        "lint.unpaired",
        "“{char}”没有对应的“{partner}”",
        "引号和括号应在同一段内成对出现，请补上或删去",
    )
    LINT_JOINED_PARAGRAPHS = (
        "lint.joined_paragraphs",
        "这一行像是新的一段，但与上一行之间没有空行，会连成一段印出",
        "分段请空一行；确实是同一段时可忽略",
    )
    CHECK_GROUPED = (
        "check.grouped",
        "{message}",
        "本篇同类问题共 {n} 处，这里是第一处",
    )
    LINT_EMPTY_ARTICLE = (
        "lint.empty_article",
        "文章没有正文",
        "请填写 body，或删除这篇文章",
    )
    LINT_NO_SOURCE = (
        "lint.no_source",
        "文章没有注明来源单位",
        "本系列要求每篇文章写 source（如 派驻纪检监察组）",
    )
    LINT_TITLE_TOO_LONG = (
        "lint.title_too_long",
        "标题排出来会超过两行（约 {lines} 行）",
        "请精简标题，或把一部分改为 subtitle（副题）",
    )
    LINT_TOC_COUNT = (
        "lint.toc_count",
        "本期要目有 {got} 行，而文章的要目共 {want} 行",
        "toc 是手工写的；文章增删后请同步修改，或删除 toc 让它自动生成",
    )
    LINT_TOC_STALE = (
        "lint.toc_stale",
        "要目“{line}”找不到对应的文章标题",
        "请与文章标题核对",
    )
    LINT_NUMBER_SPACING = (
        "lint.number_spacing",
        "数字写法不一致：既有“{spaced}”也有“{tight}”",
        "统一去掉数字与汉字之间的空格",
    )
    FIX_UNSAFE = (
        "fix.unsafe",
        "自动修正后文件结构发生变化，已放弃修正",
        "请手工修改；这是程序的保护措施",
    )
    # --- incremental builds and the live preview (bulletin build, bulletin watch) ------------------------
    BUILD_SKIPPED = "build.skipped", "{file} 未改动，跳过（加 --force 重新生成）"
    WATCH_SERVING = "watch.serving", "预览：{url}（在浏览器中打开；保存 {file} 后自动刷新，按 Ctrl-C 停止）"
    WATCH_BUILT = "watch.built", "[{time}] 已生成 {file}（{seconds:.1f} 秒）"
    WATCH_FAILED = "watch.failed", "[{time}] 有 {count} 个错误，未生成新的 PDF，预览保留上一次的结果"
    WATCH_STOPPED = "watch.stopped", "已停止预览。"
    WATCH_NO_PDF = "watch.no_pdf", "还没有生成成功的 PDF，请先修正错误。"
    WATCH_PAGE_WAITING = "watch.page_waiting", "正在生成……"
    WATCH_PAGE_PROBLEMS = "watch.page_problems", "问题："
    WATCH_PORT_BUSY = (
        "watch.port_busy",
        "无法在端口 {port} 上打开预览（可能已被占用）；请用 --port 换一个端口（0 为任选）",
    )
    # --- review loop (bulletin merge, and the build guard) -------------------------
    MERGE_UNREADABLE = (
        "merge.unreadable",
        "无法读取这个 Word 文件：{detail}",
        "请确认是 .docx 格式（不是 .doc 或 .wps）",
    )
    MERGE_NOT_OURS = (
        "merge.not_ours",
        "这个 Word 文件不是 bulletin-kit 生成的（或文档属性已被删除），不知道它来自哪一期",
        "请用 --into 指定期刊文件；部门来稿请用 bulletin import",
    )
    MERGE_NO_ISSUE = (
        "merge.no_issue",
        "找不到生成这个 Word 文件的期刊文件 {name}",
        "请用 --into issues/{name} 指定",
    )
    MERGE_ISSUE_INVALID = (
        "merge.issue_invalid",
        "期刊文件有错误，无法合并",
        "请先运行 bulletin check 并修正",
    )
    MERGE_NO_IDENTITY = "merge.no_identity", "Word 文件中没有生成时的记录，无法确认它来自期刊文件的当前版本"
    MERGE_STALE = (
        "merge.stale",
        "期刊文件（或 series.yaml）在生成 {docx} 之后改过；合并会把这些改动当成审阅意见撤销",
        "请先恢复生成时的期刊文件再合并，或确认后加 --force",
    )
    MERGE_INTERNAL = (
        "merge.internal",
        "重新生成的 Word 与期刊文件对不上：{detail}",
        "请把这条信息反馈给维护者",
    )
    MERGE_PENDING = (
        "merge.pending",
        "审阅稿中有 {n} 处尚未处理的修订，未写入任何文件",
        "请在 Word 中接受或拒绝修订后再合并，或加 --accept-all（全部接受）/ --reject-all（全部拒绝）",
    )
    MERGE_FORMAT_REVISIONS = (
        "merge.format_revisions",
        "忽略了 {n} 处只改格式的修订（格式由样式决定，不写回期刊文件）",
    )
    MERGE_UNMAPPED = (
        "merge.unmapped",
        "第 {number} 段：{where} {what}：无法写回期刊文件",
        "请在期刊文件或 series.yaml 中手工修改；加 --force 则写入其余能对应的修改",
    )
    MERGE_OTHER_ISSUE = (
        "merge.other_issue",
        "{docx} 是由 {issue} 生成的，不是 {into}（两者内容也不同），未写入",
        "请用 --into 指定 {issue}；确认要把它合并到 {into} 时加 --force",
    )
    MERGE_FORMAT_IGNORED = (
        "merge.format_ignored",
        "第 {number} 段：{where} 中设了{what}的字（“{text}”），未写回期刊文件",
        "简报的版式由样式决定，正文只保留加粗；确需强调请用加粗",
    )
    MERGE_RESTYLED = (
        "merge.restyled",
        "第 {number} 段：{where} 的段落样式改成了“{new}”（原为“{old}”），未写回期刊文件",
        "版式由样式决定；正文段落改成小标题样式时才写回，其余请在期刊文件中修改",
    )
    MERGE_NOTHING = "merge.nothing", "审阅稿与期刊文件一致，没有需要写回的修改"
    MERGE_EDIT_FAILED = (
        "merge.edit_failed",
        "无法按原样修改期刊文件：{detail}",
        "未写入；请手工修改",
    )
    MERGE_REFUSED = (
        "merge.refused",
        "修改后的期刊文件读回不一致（{detail}），未写入",
        "请把这条信息反馈给维护者",
    )
    BUILD_UNMERGED = (
        "build.unmerged",
        "{docx} 在生成之后被修改过（审阅稿），而 PDF 仍按期刊文件生成，会印出未经审阅的文字；未生成 PDF",
        "请先运行 bulletin merge {docx} 把修改写回期刊文件，再生成；确认不要这些修改时加 --force",
    )
    IMPORT_BUILT_BY_US = (
        "import.built_by_us",
        "这是 bulletin-kit 生成的简报（{issue}），不是部门来稿",
        "审阅后的简报请用 bulletin merge {file} 把修改写回期刊文件",
    )


MESSAGES: dict[str, tuple[str, str]] = {code.value: (code.text, code.hint) for code in Code}
"""Every code's ``(message, hint)``, keyed by the code's string."""
