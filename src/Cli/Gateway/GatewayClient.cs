using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Provisioning.Cli.Gateway;

/// <summary>
/// HTTP to the gateway. Every call either returns the answer or throws a <see cref="CliException"/> that says what went
/// wrong in words and picks the exit code: unreachable, refused credentials, not found, conflict, any other refusal.
/// </summary>
public sealed class GatewayClient
{
    /// <summary>The name of the <see cref="HttpClient"/> the CLI's service collection configures for the gateway.</summary>
    public const string HttpClientName = "gateway";

    /// <summary>How long one request may take (a Stripe delivery is answered within the gateway's 15 s deadline).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The <c>User-Agent</c> of every request: the CLI and its version.</summary>
    public static readonly string UserAgent =
        $"provisioning-cli/{typeof(GatewayClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"}";

    private readonly HttpClient _http;
    private readonly string? _operatorKey;

    /// <summary>A client of the gateway at <paramref name="baseAddress"/> over <paramref name="http"/> (from <c>AddHttpClient</c>).</summary>
    public GatewayClient(HttpClient http, Uri baseAddress, string? operatorKey)
    {
        BaseAddress = baseAddress;
        _operatorKey = operatorKey;
        _http = http;
        _http.BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>A GET of the API, with the operator key when one is known (reads need it unless the gateway listens on loopback only).</summary>
    public Task<GatewayAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Get, path)), cancellationToken);

    /// <summary>A POST of a JSON body (or none), with the operator key when one is known.</summary>
    public Task<GatewayAnswer> PostAsync(string path, string? json, CancellationToken cancellationToken) =>
        SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Post, path) { Content = json is null ? null : JsonContent(json) }), cancellationToken);

    /// <summary>Sends <paramref name="request"/> (and disposes it); throws when there is no answer.</summary>
    public async Task<GatewayAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var owned = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return new GatewayAnswer(response.StatusCode, ParseJson(text), text);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(Reason(ex));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The answer if it is a 2xx; otherwise the failure it means, with <paramref name="what"/> ("job evt_1") leading the message.</summary>
    public static GatewayAnswer EnsureSuccess(GatewayAnswer answer, string what)
    {
        if (answer.IsSuccess)
        {
            return answer;
        }

        var status = (int)answer.Status;
        var said = answer.Explanation();
        throw answer.Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(
                ExitCodes.Unauthorized, "unauthorized", $"{what}: refused ({status}): {said}{KeyHint(answer)}", status, answer.Body),
            HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, "not-found", $"{what}: not found ({status}): {said}", status, answer.Body),
            HttpStatusCode.Conflict => new CliException(ExitCodes.Conflict, "conflict", $"{what}: not allowed now ({status}): {said}", status, answer.Body),
            _ => new CliException(ExitCodes.GatewayError, "gateway-error", $"{what}: the gateway answered {status}: {said}", status, answer.Body),
        };
    }

    private static string KeyHint(GatewayAnswer answer) =>
        answer.Member("title") is { } title && title.StartsWith("Operator key", StringComparison.Ordinal)
            ? $" (operator keys: --operator-key, {Settings.Secrets.OperatorKeyVariable}, or Gateway__OperatorKeys__<name> in .local/dev.env)"
            : "";

    private HttpRequestMessage WithKey(HttpRequestMessage request)
    {
        if (_operatorKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _operatorKey);
        }

        return request;
    }

    private static ByteArrayContent JsonContent(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static JsonElement? ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private CliException Unreachable(string why) => new(
        ExitCodes.Unreachable, "unreachable",
        $"cannot reach the gateway at {BaseAddress}: {why}. Is it running? ./run.sh serves it at {GatewayAddress.Default}; " +
        $"--gateway or {GatewayAddress.Variable} names another address.");

    private static string Reason(HttpRequestException ex) =>
        ex.InnerException is SocketException socket ? socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        }
        : ex.Message;
}
