package idcard

import "github.com/anxin-welfare/anxin/pkg/i18n"

// The texts users see for each error code. They live beside the rules they
// describe so a new code cannot ship without its translation.
func init() {
	i18n.Register(map[string]i18n.Text{
		CodeRequired: {
			ZH: "请填写身份证号码",
			EN: "Enter the identity card number",
		},
		CodeLength: {
			ZH: "身份证号码应为18位",
			EN: "An identity card number has 18 characters",
		},
		CodeLegacy15: {
			ZH: "不再受理15位旧身份证号码，请填写18位号码",
			EN: "15-digit identity card numbers are no longer accepted; enter the 18-digit number",
		},
		CodeFormat: {
			ZH: "身份证号码前17位应为数字，最后一位为数字或X",
			EN: "The first 17 characters must be digits and the last a digit or X",
		},
		CodeBirthDate: {
			ZH: "身份证号码中的出生日期无效",
			EN: "The birth date in the identity card number is not a valid date",
		},
		CodeFuture: {
			ZH: "身份证号码中的出生日期晚于今天",
			EN: "The birth date in the identity card number is in the future",
		},
		CodeChecksum: {
			ZH: "身份证号码校验位不正确，请核对",
			EN: "The identity card number's check character is wrong; please check the number",
		},
	})
}
