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
}
