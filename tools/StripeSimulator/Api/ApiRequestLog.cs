namespace Provisioning.StripeSimulator.Api;

/// <summary>The API requests received, in order (the last 10,000), each with its answer's status.</summary>
public sealed class ApiRequestLog
{
    private const int Keep = 10_000;
    private readonly Lock _lock = new();
    private readonly List<ApiRequest> _requests = [];

    public void Add(ApiRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
            if (_requests.Count > Keep)
            {
                _requests.RemoveAt(0);
            }
        }
    }

    public IReadOnlyList<ApiRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }
}

/// <summary>One API request: when, its path and query, and the status answered.</summary>
public sealed record ApiRequest(DateTimeOffset At, string Method, string PathAndQuery, int Status);
