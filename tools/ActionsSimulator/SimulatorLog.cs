namespace Provisioning.ActionsSimulator;

/// <summary>The simulator's log lines. Never a token: only the Authorization scheme.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "{Method} {Path} -> {Status} in {ElapsedMilliseconds:0} ms (job {JobId}, fault {Fault}, run {RunId}, auth {AuthorizationScheme})")]
    public static partial void Request(
        ILogger logger, string method, string path, string status, double elapsedMilliseconds, string jobId, string fault, string runId, string authorizationScheme);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Actions simulator: token {TokenRule}, repository {Repository}, workflows {Workflows}, {FaultCount} fault(s) queued from configuration")]
    public static partial void Started(ILogger logger, string tokenRule, string repository, string workflows, int faultCount);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Fault {FaultId} ({Kind}) queued: times {Times} (0: until cleared), job {JobId}")]
    public static partial void FaultQueued(ILogger logger, long faultId, string kind, int times, string jobId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "Run behaviour {BehaviourId} ({Kind}) queued: times {Times} (0: until cleared), job {JobId}")]
    public static partial void BehaviourQueued(ILogger logger, long behaviourId, string kind, int times, string jobId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Run {RunId} for job {JobId} plays {Behaviour}")]
    public static partial void RunPlaying(ILogger logger, long runId, string jobId, string behaviour);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information,
        Message = "Run {RunId} job {JobId}: {Event} (attempt {Attempt}) -> {Status} on try {Try}: {Outcome}")]
    public static partial void Callback(ILogger logger, long runId, string jobId, string @event, string attempt, string status, int @try, string outcome);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Run {RunId} completed, conclusion {Conclusion}: {Reason}")]
    public static partial void RunEnded(ILogger logger, long runId, string conclusion, string reason);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Run {RunId} claimed its job and stops calling back (stop-heartbeats)")]
    public static partial void RunHangs(ILogger logger, long runId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "Run {RunId} could not be played")]
    public static partial void RunCrashed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information,
        Message = "Runs are played: callbacks signed with Simulator:CallbackSecret, a heartbeat every {HeartbeatInterval}, provisioning for {ProvisionDuration}, {BehaviourCount} behaviour(s) queued from configuration")]
    public static partial void PlayingRuns(ILogger logger, TimeSpan heartbeatInterval, TimeSpan provisionDuration, int behaviourCount);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Runs are not played (Simulator:CallbackSecret not set): they stay queued and nothing calls back")]
    public static partial void NotPlayingRuns(ILogger logger);
}
