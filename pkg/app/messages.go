package app

import "github.com/anxin-welfare/anxin/pkg/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"problem.replay_failed": {ZH: "重放失败：事件仍无法处理", EN: "Replay failed: the event still cannot be applied"},
	})
}
