package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

var (
	scaleFacilities = []struct{ name, place string }{
		{"莫干山政法干警疗养院", "湖州德清"}, {"千岛湖疗养基地", "杭州淳安"}, {"普陀山休养所", "舟山普陀"}, {"雁荡山疗养中心", "温州乐清"},
	}
	scaleResults = []string{"未见明显异常", "血压偏高，建议复查", "血脂偏高，建议调整饮食", "轻度脂肪肝", "视力下降，建议眼科随访"}
)

// seedRecuperation writes the facilities, each year's stays, the units'
// quotas and the bookings: for each stay, members of the units ask in
// turn; a place is confirmed while the stay and the unit's quota have
// room, otherwise the booking waits with the reason the service gives,
// ranked by the service's priority.
func (s *Store) seedRecuperation(ctx context.Context, tx *sqlx.Tx, r *rand.Rand, id func() string, at func(time.Time) time.Time,
	members []domain.Member, units map[string][]int, unitOrder []string, first, last int, now time.Time) (ScaleCounts, error) {
	var n ScaleCounts
	type session struct {
		id, facility string
		from, to     time.Time
		booked       int
		created      time.Time
	}
	type booking struct {
		id, session, member, unit, status, reason string
		year, priority                            int
		at                                        time.Time
	}
	facilities := make([]string, len(scaleFacilities))
	created := time.Date(first, 1, 2, 9, 0, 0, 0, clock.Shanghai).UTC()
	for i := range facilities {
		facilities[i] = id()
	}
	var (
		sessions []session
		bookings []booking
	)
	// Each unit's share of a year's places, a little over its head count's.
	active := 0
	for _, u := range unitOrder {
		active += len(units[u])
	}
	places := map[string]int{}
	for _, u := range unitOrder {
		places[u] = max(1, len(units[u])*scaleSessionsYear*scaleSessionPlace*6/5/active)
	}
	used := map[[2]any]int{}
	for y := first; y <= last; y++ {
		for k := range scaleSessionsYear {
			from := domain.Date(y, time.Month(1+k/2), 3+14*(k%2))
			sess := session{id: id(), facility: facilities[k%len(facilities)], from: from, to: from.AddDate(0, 0, 6),
				created: time.Date(y, 1, 2, 10, 0, 0, 0, clock.Shanghai).UTC()}
			if sess.created.After(now) {
				continue
			}
			// Requests for a stay come in the month before it.
			asks := scaleSessionPlace + scaleSessionPlace/4
			for range asks {
				u := unitOrder[r.IntN(len(unitOrder))]
				m := members[units[u][r.IntN(len(units[u]))]]
				when := at(from.AddDate(0, 0, -30+r.IntN(25)))
				if when.Before(sess.created) {
					when = sess.created
				}
				if when.After(now) {
					continue
				}
				if slices.ContainsFunc(bookings, func(b booking) bool { return b.session == sess.id && b.member == m.ID }) {
					continue
				}
				prio, _ := s.priority.Score(m, from)
				b := booking{id: id(), session: sess.id, member: m.ID, unit: m.UnitID, year: y, priority: prio, at: when,
					status: string(domain.BookingConfirmed)}
				key := [2]any{y, u}
				switch {
				case sess.booked >= scaleSessionPlace:
					b.status, b.reason = string(domain.BookingWaitlisted), domain.ErrSessionFull.Error()
				case used[key] >= places[u]:
					b.status, b.reason = string(domain.BookingWaitlisted), domain.ErrQuotaExhausted.Error()
				default:
					sess.booked++
					used[key]++
				}
				bookings = append(bookings, b)
			}
			sessions = append(sessions, sess)
		}
	}
	copyRows := func(table string, cols []string, fill func(emit func(...any) error) error) error {
		if err := pg.Copy(ctx, tx, table, cols, fill); err != nil {
			return fmt.Errorf("scale seed: %w", err)
		}
		return nil
	}
	err := copyRows("facilities", []string{"id", "name", "location", "created_at", "updated_at"}, func(emit func(...any) error) error {
		for i, f := range scaleFacilities {
			if err := emit(facilities[i], f.name, f.place, created, created); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	n.Facilities = len(facilities)
	err = copyRows("recuperation_sessions", []string{"id", "facility_id", "from_date", "to_date", "capacity", "booked", "created_at", "updated_at"},
		func(emit func(...any) error) error {
			for _, x := range sessions {
				if err := emit(x.id, x.facility, scaleDate(x.from), scaleDate(x.to), scaleSessionPlace, x.booked, x.created, x.created); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return n, err
	}
	n.Sessions = len(sessions)
	err = copyRows("recuperation_quotas", []string{"year", "unit_id", "places", "used", "updated_by", "updated_at"}, func(emit func(...any) error) error {
		for y := first; y <= last; y++ {
			for _, u := range unitOrder {
				if err := emit(y, u, places[u], used[[2]any{y, u}], scaleSystem, time.Date(y, 1, 2, 9, 30, 0, 0, clock.Shanghai).UTC()); err != nil {
					return err
				}
				n.Quotas++
			}
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	err = copyRows("recuperation_bookings", []string{"id", "session_id", "member_id", "unit_id", "year", "status", "wait_reason", "priority",
		"requested_by", "requested_at", "updated_at"}, func(emit func(...any) error) error {
		for _, b := range bookings {
			if err := emit(b.id, b.session, b.member, b.unit, b.year, b.status, b.reason, b.priority, b.member, b.at, b.at); err != nil {
				return err
			}
		}
		return nil
	})
	n.Bookings = len(bookings)
	return n, err
}

// seedHealthChecks writes a round per unit and year (March to November),
// slots of scaleSlotCapacity every other working morning, and a booking
// for each active member: completed with a sealed result or a no-show
// for a slot already past, booked for one to come.
func (s *Store) seedHealthChecks(ctx context.Context, tx *sqlx.Tx, r *rand.Rand, id func() string, members []domain.Member,
	units map[string][]int, unitOrder []string, first, last int, today, now time.Time) (ScaleCounts, error) {
	var n ScaleCounts
	type slot struct {
		id, round string
		starts    time.Time
		booked    int
		created   time.Time
	}
	type round struct {
		id, unit string
		year     int
		created  time.Time
	}
	var (
		rounds []round
		slots  []slot
	)
	bookingCols := []string{"id", "round_id", "slot_id", "member_id", "unit_id", "year", "status", "result_sealed", "completed_on", "created_at", "updated_at", "version"}
	var bookingRows [][]any
	for y := first; y <= last; y++ {
		opens := domain.Date(y, time.March, 1)
		for _, u := range unitOrder {
			rd := round{id: id(), unit: u, year: y, created: time.Date(y, 2, 1, 9, 0, 0, 0, clock.Shanghai).UTC()}
			if rd.created.After(now) {
				continue
			}
			rounds = append(rounds, rd)
			need := (len(units[u]) + scaleSlotCapacity - 1) / scaleSlotCapacity
			first := len(slots)
			day := opens
			for range need {
				for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
					day = day.AddDate(0, 0, 1)
				}
				slots = append(slots, slot{id: id(), round: rd.id, starts: time.Date(day.Year(), day.Month(), day.Day(), 8, 30, 0, 0, clock.Shanghai).UTC(),
					created: rd.created})
				day = day.AddDate(0, 0, 2+r.IntN(3))
				if day.Month() == time.December {
					day = opens.AddDate(0, 0, r.IntN(200))
				}
			}
			order := slices.Clone(units[u])
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for k, mi := range order {
				sl := &slots[first+k/scaleSlotCapacity]
				m := members[mi]
				booked := rd.created.Add(time.Duration(1+r.IntN(20)) * 24 * time.Hour)
				if booked.After(now) {
					continue
				}
				sl.booked++
				status, version := domain.CheckBooked, 1
				var sealed any // NULL unless completed (a nil []byte would be copied as an empty bytea)
				var completed *string
				if slotDay := localDate(sl.starts); slotDay.Before(today) {
					version = 2
					if r.IntN(12) == 0 {
						status = domain.CheckNoShow
					} else {
						status = domain.CheckCompleted
						res, err := s.sealer.Seal(scaleResults[r.IntN(len(scaleResults))])
						if err != nil {
							return n, fmt.Errorf("scale seed: seal result: %w", err)
						}
						sealed = res
						d := scaleDate(slotDay)
						completed = &d
					}
				}
				updated := booked
				if version == 2 {
					updated = sl.starts.Add(4 * time.Hour)
				}
				bookingRows = append(bookingRows, []any{id(), rd.id, sl.id, m.ID, u, y, string(status), sealed, completed, booked, updated, version})
			}
		}
	}
	copyRows := func(table string, cols []string, fill func(emit func(...any) error) error) error {
		if err := pg.Copy(ctx, tx, table, cols, fill); err != nil {
			return fmt.Errorf("scale seed: %w", err)
		}
		return nil
	}
	err := copyRows("health_check_rounds", []string{"id", "unit_id", "year", "opens", "closes", "created_at", "updated_at"}, func(emit func(...any) error) error {
		for _, rd := range rounds {
			if err := emit(rd.id, rd.unit, rd.year, scaleDate(domain.Date(rd.year, time.March, 1)), scaleDate(domain.Date(rd.year, time.November, 30)),
				rd.created, rd.created); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	n.Rounds = len(rounds)
	err = copyRows("health_check_slots", []string{"id", "round_id", "starts_at", "capacity", "booked", "created_at"}, func(emit func(...any) error) error {
		for _, sl := range slots {
			if err := emit(sl.id, sl.round, sl.starts, scaleSlotCapacity, sl.booked, sl.created); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	n.Slots = len(slots)
	err = copyRows("health_check_bookings", bookingCols, func(emit func(...any) error) error {
		for _, b := range bookingRows {
			if err := emit(b...); err != nil {
				return err
			}
		}
		return nil
	})
	n.CheckBookings = len(bookingRows)
	return n, err
}
