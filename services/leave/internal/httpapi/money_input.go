package httpapi

import (
	"errors"

	"github.com/anxin-welfare/anxin/pkg/money"
)

var errNegative = errors.New("negative amount")

// parseYuan reads a non-negative amount of yuan into fen.
func parseYuan(s string) (int64, error) {
	f, err := money.Parse(s)
	if err != nil {
		return 0, err
	}
	if f < 0 {
		return 0, errNegative
	}
	return int64(f), nil
}

func fen(n int64) money.Fen { return money.Fen(n) }
