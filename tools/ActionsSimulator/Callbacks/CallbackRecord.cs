using System.Text.Json;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// One HTTP request the simulated workflow sent to a <c>callback_url</c>, as <c>GET /_simulator/callbacks</c> shows it.
/// Never the secret or the signature. Each try of a callback is its own record, with the same <see cref="WebhookId"/>.
/// <see cref="Status"/> is null until answered and when no answer came (<see cref="Error"/> says why).
/// <see cref="Outcome"/>: <c>pending</c>, <c>accepted</c> (2xx), <c>stop</c> (409: the run stopped), <c>retry</c>
/// (5xx or network error, another try follows), <c>gave-up</c> (the same on the last try), <c>rejected</c> (any other answer).
/// </summary>
public sealed record CallbackRecord(
    long Sequence,
    DateTimeOffset SentAt,
    DateTimeOffset? AnsweredAt,
    long RunId,
    string? JobId,
    int? Attempt,
    string Event,
    string WebhookId,
    long Timestamp,
    int Try,
    string Url,
    string? Behaviour,
    JsonElement Body,
    int? Status,
    string Outcome,
    string? Error,
    string? Answer);

/// <summary>The values of <see cref="CallbackRecord.Outcome"/>.</summary>
public static class CallbackOutcomes
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Stop = "stop";
    public const string Retry = "retry";
    public const string GaveUp = "gave-up";
    public const string Rejected = "rejected";
}
