using Microsoft.Extensions.Logging;
using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>The job grain's log messages, each with the job id.</summary>
internal static partial class JobLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId} created for user {UserId}: {Status}")]
    public static partial void LogCreated(ILogger logger, string jobId, string userId, JobStatus status);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Job {JobId} dispatched (attempt {Attempt}, request {Request}, run {RunId})")]
    public static partial void LogDispatched(ILogger logger, string jobId, int attempt, int request, string? runId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Job {JobId} promoted from waiting: user {UserId}'s slot is free")]
    public static partial void LogPromoted(ILogger logger, string jobId, string userId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Job {JobId} ended {Status} by {Actor}: {Reason}")]
    public static partial void LogEnded(ILogger logger, string jobId, JobStatus status, JobActor actor, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Job {JobId}: read model not repaired on activation ({Reason}); the next change retries")]
    public static partial void LogProjectionDeferred(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Job {JobId} dispatch request {Request} of attempt {Attempt} failed: {Error}; next at {NextAt}")]
    public static partial void LogDispatchRetry(ILogger logger, string jobId, int attempt, int request, string? error, DateTimeOffset? nextAt);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Job {JobId}: {Reason}")]
    public static partial void LogStalled(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Debug, Message = "Job {JobId} reminder: {Action} ({Why})")]
    public static partial void LogReminder(ILogger logger, string jobId, JobSchedule.ReminderAction action, string why);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Job {JobId}: reminder not re-armed on activation ({Reason}); the next change retries")]
    public static partial void LogReminderDeferred(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Job {JobId} dispatch of attempt {Attempt} failed for good after {Request} requests: {Error}")]
    public static partial void LogDispatchFailed(ILogger logger, string jobId, int attempt, int request, string error);
}
