namespace Provisioning.StripeSimulator.Events;

/// <summary>
/// <c>GET /v1/events</c>'s filters and cursor, read from the query string as Stripe reads them (<c>created[gte]</c>,
/// <c>types[]</c> or <c>types[0]</c>, ...), and the page they select: newest first, at most <see cref="Limit"/> events.
/// </summary>
public sealed record EventListQuery(
    int Limit, string? StartingAfter, string? EndingBefore, long? CreatedEqual, long? Gt, long? Gte, long? Lt, long? Lte,
    string? Type, IReadOnlyList<string> Types, bool? DeliverySuccess)
{
    /// <summary>The query, or the parameter that is wrong and why (Stripe's <c>invalid_request_error</c>).</summary>
    public static (EventListQuery? Query, string? Param, string? Problem) Read(IQueryCollection q)
    {
        var limit = 10;
        if (q["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > 100))
        {
            return (null, "limit", $"Invalid integer: {l}; limit must be between 1 and 100.");
        }

        long? createdEqual = null, gt = null, gte = null, lt = null, lte = null;
        foreach (var (name, set) in new (string, Action<long>)[]
                 {
                     ("created", v => createdEqual = v), ("created[gt]", v => gt = v), ("created[gte]", v => gte = v),
                     ("created[lt]", v => lt = v), ("created[lte]", v => lte = v),
                 })
        {
            if (q[name].ToString() is { Length: > 0 } text)
            {
                if (!long.TryParse(text, out var value))
                {
                    return (null, name, $"Invalid integer: {text}");
                }

                set(value);
            }
        }

        bool? deliverySuccess = null;
        if (q["delivery_success"].ToString() is { Length: > 0 } d)
        {
            if (!bool.TryParse(d, out var success))
            {
                return (null, "delivery_success", $"Invalid boolean: {d}");
            }

            deliverySuccess = success;
        }

        var startingAfter = q["starting_after"].ToString() is { Length: > 0 } s ? s : null;
        var endingBefore = q["ending_before"].ToString() is { Length: > 0 } e ? e : null;
        if (startingAfter is not null && endingBefore is not null)
        {
            return (null, "ending_before", "You may only specify one of these parameters: starting_after, ending_before.");
        }

        var types = q.Where(p => p.Key == "types" || (p.Key.StartsWith("types[", StringComparison.Ordinal) && p.Key.EndsWith(']')))
            .SelectMany(p => p.Value).OfType<string>().Where(t => t.Length > 0).ToList();
        var type = q["type"].ToString() is { Length: > 0 } t1 ? t1 : null;
        if (type is not null && types.Count > 0)
        {
            return (null, "types", "You may only specify one of these parameters: type, types.");
        }

        return (new EventListQuery(limit, startingAfter, endingBefore, createdEqual, gt, gte, lt, lte, type, types, deliverySuccess), null, null);
    }

    public bool Matches(StoredEvent e) =>
        (CreatedEqual is not { } eq || e.Created == eq)
        && (Gt is not { } gt || e.Created > gt)
        && (Gte is not { } gte || e.Created >= gte)
        && (Lt is not { } lt || e.Created < lt)
        && (Lte is not { } lte || e.Created <= lte)
        && (Type is null || TypeMatches(Type, e.Type))
        && (Types.Count == 0 || Types.Any(t => TypeMatches(t, e.Type)))
        && (DeliverySuccess is not { } success || e.Delivered == success);

    /// <summary>
    /// The page of <paramref name="newestFirst"/> this query selects, and whether more match beyond it (past the page's
    /// oldest event, or, with <see cref="EndingBefore"/>, before its newest). Null when the cursor names no held event.
    /// </summary>
    public (IReadOnlyList<StoredEvent> Page, bool HasMore)? Select(IReadOnlyList<StoredEvent> newestFirst)
    {
        var matching = newestFirst.Where(Matches).ToList();
        if (StartingAfter is { } after)
        {
            var at = IndexOf(newestFirst, after);
            if (at < 0)
            {
                return null;
            }

            var older = matching.Where(e => Position(newestFirst, e) > at).ToList();
            return (older.Take(Limit).ToList(), older.Count > Limit);
        }

        if (EndingBefore is { } before)
        {
            var at = IndexOf(newestFirst, before);
            if (at < 0)
            {
                return null;
            }

            var newer = matching.Where(e => Position(newestFirst, e) < at).ToList();
            return (newer.Skip(Math.Max(0, newer.Count - Limit)).ToList(), newer.Count > Limit);
        }

        return (matching.Take(Limit).ToList(), matching.Count > Limit);
    }

    /// <summary>Stripe's type filter takes a wildcard: <c>checkout.session.*</c>.</summary>
    private static bool TypeMatches(string filter, string type) =>
        filter.EndsWith(".*", StringComparison.Ordinal)
            ? type.StartsWith(filter[..^1], StringComparison.Ordinal)
            : filter == type;

    private static int IndexOf(IReadOnlyList<StoredEvent> events, string id)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private static int Position(IReadOnlyList<StoredEvent> events, StoredEvent e) => IndexOf(events, e.Id);
}
