package i18n

// The platform's own messages: the titles of the problems every service can
// answer (key "problem."+code) and the messages of the field errors the
// platform and the services attach to a validation problem (key
// "field."+rule). Services register their own keys in their own packages.
func init() {
	Register(map[string]Text{
		// Problem titles, one per stable code in pkg/httpx.
		"problem.bad_request":            {ZH: "请求无效", EN: "The request is invalid"},
		"problem.validation_failed":      {ZH: "提交的内容有误，请检查后重新提交", EN: "Some of the submitted data is invalid; please check and resubmit"},
		"problem.malformed_json":         {ZH: "请求内容不是有效的 JSON", EN: "The request body is not valid JSON"},
		"problem.unsupported_media_type": {ZH: "不支持的内容类型，请以 application/json 提交", EN: "Unsupported content type; send application/json"},
		"problem.too_large":              {ZH: "提交的内容过大", EN: "The request body is too large"},
		"problem.not_found":              {ZH: "未找到请求的内容", EN: "Not found"},
		"problem.method_not_allowed":     {ZH: "不支持该请求方法", EN: "Method not allowed"},
		"problem.unauthenticated":        {ZH: "请先登录", EN: "Please sign in"},
		"problem.forbidden":              {ZH: "您无权执行此操作", EN: "You are not allowed to do this"},
		"problem.conflict":               {ZH: "与现有数据冲突", EN: "This conflicts with existing data"},
		"problem.version_mismatch":       {ZH: "该记录已被他人修改，请刷新后重试", EN: "Someone else has changed this record; reload it and try again"},
		"problem.precondition_required":  {ZH: "缺少版本号（If-Match），请刷新后重试", EN: "The record version (If-Match) is missing; reload and try again"},
		"problem.invalid_if_match":       {ZH: "版本号（If-Match）格式不正确", EN: "The record version (If-Match) is malformed"},
		"problem.rate_limited":           {ZH: "请求过于频繁，请稍后再试", EN: "Too many requests; please try again later"},
		"problem.internal":               {ZH: "系统内部错误，请稍后重试", EN: "Internal error; please try again later"},
		"problem.unavailable":            {ZH: "服务暂时不可用，请稍后重试", EN: "The service is temporarily unavailable; please try again later"},

		// Problem details: a sentence under the title saying what exactly
		// went wrong.
		"detail.empty_body":    {ZH: "请求内容为空", EN: "The request body is empty"},
		"detail.trailing_data": {ZH: "JSON 数据之后还有多余的内容", EN: "There is more data after the JSON value"},
		"detail.checks_failed": {ZH: "未就绪的依赖：%s", EN: "Not ready: %s"},
		"detail.too_large":     {ZH: "提交的内容不能超过 %s", EN: "The request body must not exceed %s"},

		// Field messages: short phrases shown next to the field they name.
		"field.required":     {ZH: "必填", EN: "is required"},
		"field.unknown":      {ZH: "不是可接受的字段", EN: "is not an accepted field"},
		"field.control_char": {ZH: "不能包含控制字符（如 NUL）", EN: "must not contain control characters (such as NUL)"},
		"field.type":         {ZH: "类型不正确", EN: "has the wrong type"},
		"field.invalid":      {ZH: "格式不正确", EN: "is invalid"},
		"field.too_long":     {ZH: "不能超过 %d 个字符", EN: "must be at most %d characters"},
		"field.too_short":    {ZH: "至少需要 %d 个字符", EN: "must be at least %d characters"},
		"field.too_many":     {ZH: "最多 %d 项", EN: "must have at most %d items"},
		"field.date":         {ZH: "应为日期，按“年-月-日”填写，例如 2026-12-06", EN: "must be a date written year-month-day, e.g. 2026-12-06"},
		"field.time":         {ZH: "应为日期和时间，例如 2026-12-06T14:30:00+08:00", EN: "must be a date and time, e.g. 2026-12-06T14:30:00+08:00"},
		"field.range":        {ZH: "应在 %v 至 %v 之间", EN: "must be between %v and %v"},
		"field.min":          {ZH: "不能小于 %v", EN: "must be at least %v"},
		"field.max":          {ZH: "不能大于 %v", EN: "must be at most %v"},
		"field.one_of":       {ZH: "不是允许的取值", EN: "is not one of the allowed values"},
		"field.positive":     {ZH: "必须大于零", EN: "must be greater than zero"},
		"field.money":        {ZH: "金额格式不正确（元，最多两位小数）", EN: "must be an amount in yuan with at most two decimals"},
		"field.phone":        {ZH: "手机号码格式不正确", EN: "is not a valid mobile phone number"},
		"field.email":        {ZH: "电子邮箱格式不正确", EN: "is not a valid email address"},
		"field.future":       {ZH: "不能晚于今天", EN: "must not be in the future"},
		"field.past":         {ZH: "不能早于今天", EN: "must not be in the past"},
		"field.before":       {ZH: "应早于 %s", EN: "must be before %s"},
		"field.after":        {ZH: "应晚于 %s", EN: "must be after %s"},
		"field.duplicate":    {ZH: "已存在", EN: "already exists"},
		"field.not_found":    {ZH: "引用的记录不存在", EN: "refers to a record that does not exist"},
	})
}
