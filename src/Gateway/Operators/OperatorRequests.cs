using Provisioning.Jobs;

namespace Provisioning.Gateway.Operators;

/// <summary>The optional body of <c>POST /api/jobs/{jobId}/retry</c> and <c>/cancel</c>: why, for the job's history.</summary>
public sealed record OperatorActionRequest(string? Reason);

/// <summary>
/// The body of <c>POST /api/jobs/retry</c>: retry the jobs with <see cref="Status"/> (<c>failed</c> or <c>cancelled</c>) whose last
/// change was at or after <see cref="Since"/> (ISO 8601, optional) and, when <see cref="LastError"/> is given, whose last error is
/// exactly that text (an empty text: jobs without an error), oldest change first, at most <see cref="Limit"/> of them.
/// </summary>
public sealed record BulkRetryRequest(string? Status, string? Since, int? Limit, string? Reason, string? LastError = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>The validated request, or the fields that are wrong (by name).</summary>
    public static bool TryParse(BulkRetryRequest? request, out (JobStatus Status, DateTimeOffset? Since, int Limit) parsed, out Dictionary<string, string[]> errors)
    {
        errors = [];
        parsed = default;
        var status = JobNames.TryParse(request?.Status?.Trim(), out var named) && named is JobStatus.Failed or JobStatus.Cancelled
            ? named
            : null;
        if (status is null)
        {
            errors["status"] = [$"{(request?.Status is null ? "is required" : $"'{request.Status}' cannot be retried")}: use failed or cancelled."];
        }

        DateTimeOffset? since = null;
        if (!string.IsNullOrWhiteSpace(request?.Since))
        {
            if (DateTimeOffset.TryParse(request.Since, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var at))
            {
                since = at;
            }
            else
            {
                errors["since"] = [$"'{request.Since}' is not a time: use ISO 8601, e.g. 2026-03-01T12:00:00Z."];
            }
        }

        var limit = request?.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"{limit} is not a number of jobs from 1 to {MaxLimit} (default {DefaultLimit})."];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        parsed = (status!.Value, since, limit);
        return true;
    }
}

/// <summary>The answer to a bulk retry: how many jobs were retried, which, and which were not and why.</summary>
public sealed record BulkRetryResult(int Retried, IReadOnlyList<string> JobIds, IReadOnlyList<BulkRetrySkip> Skipped);

/// <summary>A job a bulk retry matched in the read model but did not retry.</summary>
public sealed record BulkRetrySkip(string JobId, string Reason);
