package pg

import "database/sql"

type sqlTxOptions = sql.TxOptions

const levelSerializable = sql.LevelSerializable
