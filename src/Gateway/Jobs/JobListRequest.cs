using Provisioning.Jobs;

namespace Provisioning.Gateway.Jobs;

/// <summary>A validated listing request: optional filters, a page size and where the previous page ended.</summary>
public sealed record JobListRequest(JobStatus? Status, string? UserId, int Limit, JobCursor? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxSearchLength = 200;

    /// <summary>Optional search text (<c>q</c>): only jobs whose job id, user id or agent id contains it.</summary>
    public string? Search { get; init; }

    /// <summary>
    /// Validates the query parameters as sent. On failure <paramref name="errors"/> names each bad parameter
    /// (<c>status</c>, <c>limit</c>, <c>cursor</c>) with what is wrong with it.
    /// </summary>
    public static bool TryParse(
        string? status, string? userId, string? limit, string? cursor,
        out JobListRequest request, out Dictionary<string, string[]> errors, string? search = null)
    {
        errors = [];
        JobStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (JobNames.TryParse(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = [$"'{status}' is not a job status; use one of {string.Join(", ", JobNames.All)}."];
            }
        }

        var pageSize = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, System.Globalization.NumberStyles.None, null, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{limit}' is not a page size; use a whole number from 1 to {MaxLimit} (default {DefaultLimit})."];
        }

        JobCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !JobCursor.TryDecode(cursor, out after))
        {
            errors["cursor"] = ["not a cursor this API returned; pass nextCursor from the previous page as it is."];
        }

        search = search?.Trim();
        if (search is { Length: > MaxSearchLength })
        {
            errors["q"] = [$"the search text is longer than {MaxSearchLength} characters."];
        }

        request = new JobListRequest(statusFilter, string.IsNullOrEmpty(userId) ? null : userId, pageSize, after)
        {
            Search = string.IsNullOrEmpty(search) ? null : search,
        };
        return errors.Count == 0;
    }
}
