package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// ScaleSize is how big a registry SeedScale writes.
type ScaleSize struct {
	// Units below the county committee's root unit.
	Units int
	// Members spread over the units.
	Members int
	// Years of plans and enrollments, ending with the current one.
	Years int
}

// ScaleCounts is what SeedScale wrote, table by table.
type ScaleCounts struct {
	Units, Members, MemberVersions, Plans, Enrollments, EnrollmentEvents int
}

var (
	scaleSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}
	scaleGiven    = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚", "建国", "志强", "海燕", "晓东", "红梅"}
	scaleKinds    = []string{"court", "procuratorate", "police_bureau", "police_station", "police_station", "police_station", "justice_bureau"}
	scaleSchemes  = []domain.SchemeCode{"work_injury", "personal_accident"}
	scaleCats     = []domain.Category{domain.CategoryPolice, domain.CategoryPolice, domain.CategoryPolice, domain.CategoryAuxiliaryPolice,
		domain.CategoryAuxiliaryPolice, domain.CategoryJudicialPolice, domain.CategoryJudge, domain.CategoryProsecutor, domain.CategoryCivilServant}
)

// scaleID draws a version-4 uuid from r, so one seed gives one province.
func scaleID(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

// SeedScale writes a registry of province size into an empty, migrated
// schema with COPY, in one transaction: every row passes the table's
// constraints and triggers as an INSERT would (COPY fires them; nothing is
// disabled). Members are built by domain.NewMember, so each is one the
// service would have accepted, and each gets its 'registered' version,
// sealed as the service seals it. The same seed writes the same province.
//
// The audit log and the outbox are deliberately not written: the seeded
// registry is the state before the audit chain begins (the chain starts
// empty and stays valid), and no event is owed to other services for it.
// Other services' projections of members are therefore not filled by this.
func (s *Store) SeedScale(ctx context.Context, size ScaleSize, seed uint64, today time.Time) (ScaleCounts, error) {
	var n ScaleCounts
	if size.Units < 1 || size.Members < 1 || size.Years < 1 {
		return n, fmt.Errorf("scale seed: units, members and years must be positive, got %+v", size)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed)) //nolint:gosec // G404: a reproducible dataset from its seed, not a secret
	today = day(today)
	now := s.now()
	err := pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var existing int
		if err := tx.GetContext(ctx, &existing, `SELECT count(*) FROM (SELECT 1 FROM members LIMIT 1) x`); err != nil {
			return err
		}
		if existing > 0 {
			return fmt.Errorf("scale seed: the registry already has members; seed an empty schema")
		}
		// Units: the committee at the root, the others below it.
		rootID := scaleID(r)
		unitIDs := make([]string, 0, size.Units)
		err := scaleCopy(ctx, tx, "units", []string{"id", "code", "parent_id", "path", "name", "kind", "created_at", "updated_at"}, func(emit func(...any) error) error {
			if err := emit(rootID, "S0000", nil, pq.Array([]string{rootID}), "县委政法委员会", "committee", now, now); err != nil {
				return err
			}
			for i := 1; i <= size.Units; i++ {
				id := scaleID(r)
				unitIDs = append(unitIDs, id)
				kind := scaleKinds[r.IntN(len(scaleKinds))]
				if err := emit(id, fmt.Sprintf("S%04d", i), rootID, pq.Array([]string{rootID, id}), fmt.Sprintf("第%d单位", i), kind, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Units = size.Units + 1

		// Members and their first version.
		type seeded struct {
			id     string
			cat    domain.Category
			active bool
		}
		members := make([]seeded, 0, size.Members)
		versions := make([][]any, 0, size.Members)
		err = scaleCopy(ctx, tx, "members", []string{"id", "unit_id", "name", "category", "frontline", "aux_duty", "high_risk",
			"id_number_sealed", "id_number_index", "id_number_masked", "birth_date", "sex", "phone", "hire_date", "service_start",
			"status", "status_date", "death_cause", "version", "created_at", "updated_at"}, func(emit func(...any) error) error {
			const days = 40 * 365 // births spread over 40 years; (day, seq) is unique per member
			for i := 0; i < size.Members; i++ {
				male := r.IntN(4) != 0
				birth := today.AddDate(-62, 0, 0).AddDate(0, 0, i%days)
				cat := scaleCats[r.IntN(len(scaleCats))]
				post := domain.Post{Frontline: r.IntN(2) == 0}
				if cat == domain.CategoryAuxiliaryPolice {
					post.AuxDuty = domain.AuxDutyField
					if r.IntN(3) == 0 {
						post.AuxDuty = domain.AuxDutyCivilian
					}
					post.HighRisk = post.AuxDuty == domain.AuxDutyField && r.IntN(2) == 0
				}
				hire := birth.AddDate(22+r.IntN(8), 0, r.IntN(365))
				if hire.After(today) {
					hire = today
				}
				in := domain.MemberInput{
					UnitID:   unitIDs[r.IntN(len(unitIDs))],
					Name:     scaleSurnames[r.IntN(len(scaleSurnames))] + scaleGiven[r.IntN(len(scaleGiven))] + scaleGiven[r.IntN(len(scaleGiven))],
					Category: cat, Post: post,
					IDNumber: idcard.Generate("330102", birth, 2*(i/days)%1000, male),
					Phone:    fmt.Sprintf("13%09d", r.IntN(1_000_000_000)),
					HireDate: hire,
				}
				m, err := domain.NewMember(scaleID(r), in, today)
				if err != nil {
					return fmt.Errorf("scale seed: member %d: %w", i, err)
				}
				args, err := s.memberArgs(m)
				if err != nil {
					return err
				}
				if err := emit(append(args, now, now)...); err != nil {
					return err
				}
				snap, err := s.sealSnapshot(m)
				if err != nil {
					return err
				}
				versions = append(versions, []any{m.ID, m.Version, now, "seed-scale", string(domain.ChangeRegistered), snap})
				members = append(members, seeded{id: m.ID, cat: cat, active: m.Status == domain.StatusActive})
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Members = len(members)
		err = scaleCopy(ctx, tx, "member_versions", []string{"member_id", "version", "recorded_at", "actor", "change", "snapshot"}, func(emit func(...any) error) error {
			for _, v := range versions {
				if err := emit(v...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.MemberVersions = len(versions)

		// Plans: each scheme each year, open to every category.
		type plan struct {
			id     string
			scheme domain.SchemeCode
			year   int
		}
		var plans []plan
		first := today.Year() - size.Years + 1
		err = scaleCopy(ctx, tx, "plans", []string{"id", "scheme", "plan_year", "name", "coverage", "eligible_categories", "aux_duties",
			"premium_fen", "payer", "sum_death_fen", "sum_disability_fen", "created_at", "updated_at"}, func(emit func(...any) error) error {
			for y := first; y <= today.Year(); y++ {
				for _, sc := range scaleSchemes {
					p := plan{id: scaleID(r), scheme: sc, year: y}
					plans = append(plans, p)
					coverage := fmt.Sprintf("[%d-01-01,%d-01-01)", y, y+1)
					disability := make([]int64, 10)
					for i := range disability {
						disability[i] = int64(10-i) * 1_000_000
					}
					if err := emit(p.id, string(sc), y, fmt.Sprintf("%d年度%s", y, sc), coverage,
						pq.Array([]string{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}),
						pq.Array([]string{"duty", "civilian"}), 36_000, "unit", 50_000_000, pq.Array(disability), now, now); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Plans = len(plans)

		// Enrollments: every active member in every plan of the years
		// since their hire, each with its 'activated' fact.
		type activation struct {
			id string
			on time.Time
		}
		var acts []activation
		err = scaleCopy(ctx, tx, "enrollments", []string{"id", "member_id", "plan_id", "scheme", "plan_year", "period", "covered_from",
			"created_at", "updated_at"}, func(emit func(...any) error) error {
			for _, m := range members {
				if !m.active {
					continue
				}
				for _, p := range plans {
					id := scaleID(r)
					from := time.Date(p.year, 1, 1, 0, 0, 0, 0, time.UTC)
					if err := emit(id, m.id, p.id, string(p.scheme), p.year, fmt.Sprintf("[%d-01-01,%d-01-01)", p.year, p.year+1), from, now, now); err != nil {
						return err
					}
					acts = append(acts, activation{id: id, on: from})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.Enrollments = len(acts)
		err = scaleCopy(ctx, tx, "enrollment_events", []string{"enrollment_id", "kind", "effective_on", "recorded_at", "actor"}, func(emit func(...any) error) error {
			for _, a := range acts {
				if err := emit(a.id, "activated", a.on, now, "seed-scale"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n.EnrollmentEvents = len(acts)
		return nil
	})
	if err != nil {
		return ScaleCounts{}, err
	}
	for _, t := range []string{"units", "members", "member_versions", "plans", "enrollments", "enrollment_events"} {
		if _, err := s.db.ExecContext(ctx, `ANALYZE `+t); err != nil {
			return n, fmt.Errorf("scale seed: analyze %s: %w", t, err)
		}
	}
	return n, nil
}

// scaleCopy is pg.Copy with the seed's error prefix.
func scaleCopy(ctx context.Context, tx *sqlx.Tx, table string, cols []string, fill func(emit func(...any) error) error) error {
	if err := pg.Copy(ctx, tx, table, cols, fill); err != nil {
		return fmt.Errorf("scale seed: %w", err)
	}
	return nil
}
