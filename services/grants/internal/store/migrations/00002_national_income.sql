-- National urban per-capita disposable income (全国城镇居民人均可支配收入),
-- NBS yearly figures in fen, so the statutory calculators work on a fresh
-- installation. Admins add each new year's figure as a dated parameter.

-- +goose Up
INSERT INTO rates (kind, valid_from, amount, source, created_by) VALUES
    ('national_income', '2019-01-01', 4235900, '国家统计局 2019', 'migration'),
    ('national_income', '2020-01-01', 4383400, '国家统计局 2020', 'migration'),
    ('national_income', '2021-01-01', 4741200, '国家统计局 2021', 'migration'),
    ('national_income', '2022-01-01', 4928300, '国家统计局 2022', 'migration'),
    ('national_income', '2023-01-01', 5182100, '国家统计局 2023', 'migration'),
    ('national_income', '2024-01-01', 5418800, '国家统计局 2024', 'migration')
ON CONFLICT (kind, valid_from) DO NOTHING;

-- +goose Down
DELETE FROM rates WHERE kind = 'national_income' AND created_by = 'migration';
