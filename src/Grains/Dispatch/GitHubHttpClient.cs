using System.Text;
using Octokit;
using Octokit.Internal;
using IRequest = Octokit.Internal.IRequest;

namespace Provisioning.Grains.Dispatch;

/// <summary>
/// Octokit's transport over an <see cref="HttpClient"/> from the host's factory, so the handlers, pooling and
/// telemetry stay the host's. Honours the request's time-out; redirects and caching are not needed for a dispatch.
/// </summary>
internal sealed class GitHubHttpClient(HttpClient http) : IHttpClient
{
    public async Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(request.Timeout);
        }

        using var message = new HttpRequestMessage(request.Method, new Uri(request.BaseAddress, request.Endpoint));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Content = request.Body switch
        {
            string text => new StringContent(text, Encoding.UTF8, request.ContentType),
            HttpContent content => content,
            null => null,
            _ => throw new ArgumentException($"a request body of type {request.Body.GetType().Name} cannot be sent", nameof(request)),
        };

        using var response = await http.SendAsync(message, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = values.First();
        }

        return new GitHubResponse(response.StatusCode, preprocessResponseBody is null ? body : preprocessResponseBody(body), headers,
            response.Content.Headers.ContentType?.MediaType);
    }

    public void SetRequestTimeout(TimeSpan timeout) => http.Timeout = timeout;

    public void Dispose() => http.Dispose();

    private sealed class GitHubResponse(System.Net.HttpStatusCode status, object body, Dictionary<string, string> headers, string? contentType) : IResponse
    {
        public object Body { get; } = body;

        public IReadOnlyDictionary<string, string> Headers { get; } = headers;

        public ApiInfo ApiInfo { get; } = new(new Dictionary<string, Uri>(), [], [], headers.GetValueOrDefault("ETag"), new RateLimit(headers));

        public System.Net.HttpStatusCode StatusCode { get; } = status;

        public string? ContentType { get; } = contentType;
    }
}
