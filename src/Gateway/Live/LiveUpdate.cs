namespace Provisioning.Gateway.Live;

/// <summary>
/// One event of <c>GET /api/live</c>: <c>version</c> grows whenever a job changes (a page reloads what it shows when it
/// differs from the last one it saw), <c>attention</c> is the count of things that need a person, <c>at</c> when it was read;
/// <c>waitingAfterSeconds</c> and <c>silentRunAfterSeconds</c> are the settings that flag waiting jobs and silent runs, so pages
/// highlight rows by the same rules; <c>inboxBacklog</c> is the Stripe inbox's unprocessed events as the silos last measured them.
/// </summary>
public sealed record LiveUpdate(
    long Version, long Attention, DateTimeOffset At, double WaitingAfterSeconds, double SilentRunAfterSeconds, long InboxBacklog);
