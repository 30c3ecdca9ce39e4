using System.Text.Json;
using Provisioning.ActionsSimulator.Faults;

namespace Provisioning.ActionsSimulator.Requests;

/// <summary>
/// One request to the GitHub-facing endpoints, as <c>GET /_simulator/requests</c> shows it. Never the token: only the
/// <see cref="Authorization"/> scheme. <see cref="Body"/> is the JSON body (a JSON string when it did not parse, null when
/// empty). <see cref="Status"/> is null while the request is held and when no answer was sent (a timeout fault, or a client
/// that gave up); <see cref="CompletedAt"/> is null while it is in progress. <see cref="NotBefore"/>, for rate-limit faults,
/// is the earliest time a client that honours the answer's headers sends again. <see cref="TraceParent"/> is the W3C
/// <c>traceparent</c> header the client sent (its trace id shows which trace the dispatch belongs to), null without one.
/// </summary>
public sealed record RequestRecord(
    long Sequence,
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string? Authorization,
    string? ApiVersion,
    string? Accept,
    string? UserAgent,
    JsonElement? Body,
    string? JobId,
    Fault? Fault,
    DateTimeOffset? NotBefore,
    int? Status,
    long? RunId,
    DateTimeOffset? CompletedAt,
    string? TraceParent);
