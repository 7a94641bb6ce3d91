// Whether a scheduled script is due: the latest firing of its schedules at or before now, against
// its last run in the ledger (its scheduled slot, else its start). However many times a schedule
// fired while the machine was off, the script runs once; a clock set back runs it once too.
import PMOSyntax
import Workspace

public enum Due {
    /// Why a script is (or is not) due.
    public enum Decision: Equatable, Sendable {
        case due(slot: Int64, reason: String)
        case notDue(String)
    }

    /// The decision for one script from its schedules, its last run and the time.
    public static func decide(_ schedules: [CronSchedule], last: RunRecord?, now: Int64, zone: any ScheduleZone,
                       alive: (RunRecord) -> Bool) -> Decision {
        guard let slot = schedules.compactMap({ $0.previousFire(atOrBefore: now, in: zone) }).max() else {
            return .notDue("its schedule has not fired yet")
        }
        guard let last else { return .due(slot: slot, reason: "never run") }
        if last.status == .running && alive(last) { return .notDue("still running (pid \(last.pid))") }
        guard let reference = (last.scheduledFor ?? Optional(last.started)).flatMap(CivilTime.parseISO) else {
            return .due(slot: slot, reason: "its last run has no readable time")
        }
        if reference > now {
            return .due(slot: slot, reason: "the clock is behind its last run (\(last.scheduledFor ?? last.started)); running once for the latest slot")
        }
        let lastRun = last.scheduledFor == nil ? "its last run at \(last.started)" : "its run for \(ScheduleClock.local(reference, zone: zone))"
        if slot > reference { return .due(slot: slot, reason: "due again since \(lastRun)") }
        return .notDue("nothing new since \(lastRun)")
    }
}
