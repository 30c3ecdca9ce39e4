namespace Provisioning.Jobs;

/// <summary>How a job answered a callback, a run event or an operator's action. Never renumber.</summary>
public enum JobActionOutcome
{
    /// <summary>Applied.</summary>
    Done = 0,

    /// <summary>Seen before (same callback id or delivery id): nothing changed.</summary>
    Duplicate = 1,

    /// <summary>No job has this id.</summary>
    NotFound = 2,

    /// <summary>Not allowed now (a stale attempt's run, a second claim, anything after a terminal status): nothing changed.</summary>
    Conflict = 3,

    /// <summary>Accepted but not about this job's current run, or nothing to do: nothing changed.</summary>
    Ignored = 4,
}
