using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// Job statuses by the names the API and the read model use: the enum names in camelCase, which for these
/// one-word names is lowercase (<c>waiting</c>, <c>queued</c>, ...), the same names the JSON converter writes.
/// </summary>
public static class JobStatusNames
{
    private static readonly FrozenDictionary<string, JobStatus> ByName =
        Enum.GetValues<JobStatus>().ToFrozenDictionary(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()), StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<JobStatus, string> ByStatus =
        ByName.ToFrozenDictionary(p => p.Value, p => p.Key);

    /// <summary>Every status name, in the order of the state machine.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<JobStatus>().Select(s => ByStatus[s]).ToArray();

    public static string Name(JobStatus status) => ByStatus[status];

    /// <summary>Parses a status name (case-insensitive); numbers are not names.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out JobStatus? status)
    {
        status = name is not null && ByName.TryGetValue(name, out var found) ? found : null;
        return status is not null;
    }
}
