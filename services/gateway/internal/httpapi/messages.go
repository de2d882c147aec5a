package httpapi

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The gateway's problem codes: every code the domain reports, as a field
// message, and the titles of the problems the gateway answers with.
func init() {
	i18n.Register(map[string]i18n.Text{
		"gateway.user.username_required":   {ZH: "请输入用户名", EN: "Enter a username"},
		"gateway.user.username_length":     {ZH: "用户名应为 %d 至 %d 个字符", EN: "The username must be %d to %d characters long"},
		"gateway.user.username_chars":      {ZH: "用户名只能包含英文字母、数字和 . _ - @", EN: "The username may contain only letters, digits and . _ - @"},
		"gateway.user.name_required":       {ZH: "请输入姓名", EN: "Enter the name"},
		"gateway.user.name_length":         {ZH: "姓名不能超过 %d 个字", EN: "The name must be at most %d characters long"},
		"gateway.user.roles_required":      {ZH: "请至少选择一个角色", EN: "Choose at least one role"},
		"gateway.user.role_unknown":        {ZH: "未知角色：%s", EN: "Unknown role: %s"},
		"gateway.user.role_not_for_people": {ZH: "角色 %s 不能授予个人用户", EN: "The role %s cannot be given to a person"},
		"gateway.user.roles_conflict":      {ZH: "同一账号不能既是干警又是家属，请分别建立账号", EN: "One account cannot be both officer and family member; create two accounts"},
		"gateway.user.member_required":     {ZH: "干警和家属账号必须关联人员档案", EN: "Officer and family accounts must be linked to a member record"},
		"gateway.user.member_invalid":      {ZH: "人员编号格式不正确", EN: "The member id is not valid"},
		"gateway.user.units_required":      {ZH: "经办人员和单位负责人必须指定负责的单位", EN: "Caseworkers and unit heads must be given the units they work on"},
		"gateway.user.unit_invalid":        {ZH: "单位编号格式不正确：%s", EN: "The unit id is not valid: %s"},
		"gateway.user.lang_unknown":        {ZH: "请选择中文或英文", EN: "Choose Chinese or English"},
		"gateway.user.already_disabled":    {ZH: "该用户已停用", EN: "This user is already disabled"},
		"gateway.user.not_disabled":        {ZH: "该用户未停用", EN: "This user is not disabled"},
		"gateway.user.disable_self":        {ZH: "不能停用自己的账号", EN: "You cannot disable your own account"},
		"gateway.user.disabled":            {ZH: "该账号已停用", EN: "This account is disabled"},

		"gateway.password.required":    {ZH: "请输入密码", EN: "Enter a password"},
		"gateway.password.too_short":   {ZH: "密码至少需要 %d 个字符", EN: "The password must be at least %d characters long"},
		"gateway.password.too_long":    {ZH: "密码不能超过 %d 个字符", EN: "The password must be at most %d characters long"},
		"gateway.password.common":      {ZH: "这个密码太常见，容易被猜到，请换一个（可以用一句好记的话）", EN: "This password is too common and easy to guess; choose another (a memorable phrase works well)"},
		"gateway.password.is_username": {ZH: "密码不能与用户名相同或相近", EN: "The password must not be the username or close to it"},
		"gateway.password.mismatch":    {ZH: "两次输入的密码不一致", EN: "The two passwords do not match"},

		"gateway.signin.invalid_credentials": {ZH: "用户名或密码不正确", EN: "The username or password is wrong"},
		"gateway.signin.throttled":           {ZH: "登录失败次数过多，请 %d 分钟后再试", EN: "Too many failed sign-ins; try again in %d minutes"},
		"gateway.session.expired":            {ZH: "登录已过期，请重新登录", EN: "Your session has ended; please sign in again"},
		"gateway.signin.oidc_unlinked":       {ZH: "统一身份认证未能登录：该身份未关联本系统账号，请联系本单位政治部", EN: "Single sign-on failed: this identity is not linked to an account here; ask your unit's political department"},
		"gateway.user.username_taken":        {ZH: "该用户名已被使用", EN: "This username is already taken"},

		"gateway.user.oidc_invalid":     {ZH: "统一身份标识无效", EN: "The single sign-on identity is not valid"},
		"gateway.oidc_disabled":         {ZH: "未启用统一身份认证", EN: "Single sign-on is not configured"},
		"problem.gateway.oidc_disabled": {ZH: "未启用统一身份认证", EN: "Single sign-on is not configured"},
		"gateway.user.oidc_taken":       {ZH: "该统一身份已关联其他账号", EN: "This identity is already linked to another account"},

		"problem.gateway.user.oidc_taken":            {ZH: "该统一身份已关联其他账号", EN: "Identity already linked"},
		"problem.gateway.user.already_disabled":      {ZH: "该用户已停用", EN: "User already disabled"},
		"problem.gateway.user.not_disabled":          {ZH: "该用户未停用", EN: "User not disabled"},
		"problem.gateway.user.disable_self":          {ZH: "不能停用自己的账号", EN: "Cannot disable your own account"},
		"problem.gateway.signin.throttled":           {ZH: "登录失败次数过多，请 %d 分钟后再试", EN: "Too many failed sign-ins; try again in %d minutes"},
		"problem.gateway.signin.invalid_credentials": {ZH: "用户名或密码不正确", EN: "Wrong username or password"},
		"problem.gateway.csrf":                       {ZH: "请求来源不可信，已拒绝", EN: "Cross-site request refused"},
		"problem.gateway.upstream_unavailable":       {ZH: "相关服务暂不可用", EN: "The service is unavailable"},
	})
}
