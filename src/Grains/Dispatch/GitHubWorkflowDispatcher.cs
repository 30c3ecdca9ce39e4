using System.Globalization;
using System.Net;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;

namespace Provisioning.Grains.Dispatch;

/// <summary>
/// Dispatches the workflow through GitHub's REST API (<c>POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches</c>)
/// with Octokit, asking for the run's details (<c>return_run_details</c>). A server that refuses that field with 400 (older
/// GitHub Enterprise Server) is asked again without it, and not asked with it again by this process.
/// </summary>
public sealed partial class GitHubWorkflowDispatcher(
    IHttpClientFactory httpClients,
    IOptions<GitHubOptions> github,
    IOptions<DispatchOptions> dispatch,
    TimeProvider time,
    ILogger<GitHubWorkflowDispatcher> logger) : IWorkflowDispatcher
{
    /// <summary>The name of the <see cref="HttpClient"/> the dispatcher asks the factory for.</summary>
    public const string HttpClientName = "GitHub";

    public const string ApiVersion = GitHubApiVersionHandler.Version;
    private const string Accepts = "application/vnd.github+json";
    private static readonly ProductHeaderValue Product = new("provisioning", "1.0");
    private static int s_runDetailsRefused;

    public async Task<DispatchOutcome> DispatchAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        var connection = Connect(github.Value);
        if (Volatile.Read(ref s_runDetailsRefused) == 0
            && await SendAsync(connection, request, askForRun: true, cancellationToken) is { } outcome)
        {
            return outcome;
        }

        if (Interlocked.Exchange(ref s_runDetailsRefused, 1) == 0)
        {
            LogRunDetailsRefused(logger, request.JobId);
        }

        return await SendAsync(connection, request, askForRun: false, cancellationToken)
            ?? throw new InvalidOperationException("unreachable: only a request with return_run_details can be refused for it");
    }

    /// <summary>The REST API's root: the configured base, with <c>api/v3/</c> for GitHub Enterprise hosts as Octokit's client does.</summary>
    public static Uri ApiRoot(GitHubOptions options)
    {
        var root = new Uri(options.ApiBaseUrl.EndsWith('/') ? options.ApiBaseUrl : options.ApiBaseUrl + "/");
        return root.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase)
            || root.AbsolutePath.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase)
            ? root
            : new Uri(root, "api/v3/");
    }

    /// <summary>The workflow's dispatch URL under the API root.</summary>
    public static Uri DispatchUri(GitHubOptions options) => new(ApiRoot(options), DispatchPath(options));

    public static string CallbackUrl(string publicUrl) => publicUrl.TrimEnd('/') + "/api/webhooks/github";

    private static Uri DispatchPath(GitHubOptions options) => new(
        $"repos/{Uri.EscapeDataString(options.Owner)}/{Uri.EscapeDataString(options.Repo)}/actions/workflows/{Uri.EscapeDataString(options.Workflow)}/dispatches",
        UriKind.Relative);

    private Connection Connect(GitHubOptions options) => new(
        Product,
        ApiRoot(options),
        new InMemoryCredentialStore(new Credentials(options.Token, AuthenticationType.Bearer)),
        new GitHubHttpClient(httpClients.CreateClient(HttpClientName)),
        new SimpleJsonSerializer());

    /// <summary>One request; null when the server refused <c>return_run_details</c> (400) and should be asked without it.</summary>
    private async Task<DispatchOutcome?> SendAsync(IConnection connection, DispatchRequest request, bool askForRun, CancellationToken cancellationToken)
    {
        var options = github.Value;
        try
        {
            var response = await connection.Post<WorkflowDispatchRun>(
                DispatchPath(options), Body(options, request, askForRun), Accepts, "application/json", options.RequestTimeout, cancellationToken);
            return response.HttpResponse.StatusCode switch
            {
                HttpStatusCode.OK => new DispatchOutcome.Dispatched(response.Body?.WorkflowRunId, response.Body?.RunUrl, response.Body?.HtmlUrl),
                HttpStatusCode.NoContent => new DispatchOutcome.Dispatched(null, null, null),
                var status => new DispatchOutcome.Permanent($"GitHub answered {(int)status}"),
            };
        }
        catch (ApiException ex)
        {
            return Failed(ex, askForRun);
        }
        catch (Exception ex) when (ex is SerializationException or FormatException or InvalidCastException or OverflowException)
        {
            // Only a 2xx body is deserialized: GitHub accepted the dispatch. The run names itself when it claims the job.
            return new DispatchOutcome.Dispatched(null, null, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DispatchOutcome.Transient($"no answer from GitHub within {options.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return new DispatchOutcome.Transient($"network error: {ex.Message}");
        }
    }

    private string Body(GitHubOptions options, DispatchRequest request, bool askForRun)
    {
        var body = new JsonObject
        {
            ["ref"] = options.Ref,
            ["inputs"] = new JsonObject
            {
                ["job_id"] = request.JobId,
                ["agent_id"] = request.AgentId,
                ["region"] = request.Region,
                ["callback_url"] = CallbackUrl(dispatch.Value.PublicUrl),
                ["attempt"] = request.Attempt.ToString(CultureInfo.InvariantCulture),
            },
        };
        if (askForRun)
        {
            body["return_run_details"] = true;
        }

        return body.ToJsonString();
    }

    private DispatchOutcome? Failed(ApiException ex, bool askedForRun)
    {
        var status = (int)ex.StatusCode;
        var said = $"GitHub answered {status} {Message(ex.HttpResponse?.Body as string)}".TrimEnd();
        return status switch
        {
            400 when askedForRun => null,
            401 => new DispatchOutcome.Permanent($"{said}: check GitHub:Token"),
            404 => new DispatchOutcome.Permanent($"{said}: check GitHub:Owner, GitHub:Repo and GitHub:Workflow, and that the token can see the repository"),
            422 => new DispatchOutcome.Permanent($"{said}: the workflow rejected the inputs or GitHub:Ref"),
            403 or 429 => new DispatchOutcome.RateLimited(NotBefore(ex.HttpResponse), said),
            >= 500 => new DispatchOutcome.Transient(said),
            _ => new DispatchOutcome.Permanent(said),
        };
    }

    /// <summary>GitHub's rules: <c>retry-after</c>; else <c>x-ratelimit-reset</c> when none remain; else at least the minimum wait.</summary>
    private DateTimeOffset NotBefore(IResponse? response)
    {
        var now = time.GetUtcNow();
        var headers = response?.Headers ?? new Dictionary<string, string>();
        if (headers.TryGetValue("Retry-After", out var retryAfter))
        {
            if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return now + TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return date;
            }
        }

        if (response?.ApiInfo?.RateLimit is { Remaining: 0 } limit && headers.ContainsKey("x-ratelimit-reset"))
        {
            return limit.Reset > now ? limit.Reset : now;
        }

        return now + dispatch.Value.MinRateLimitWait;
    }

    private static string Message(string? body)
    {
        try
        {
            return body is { Length: > 0 } && JsonNode.Parse(body)?["message"]?.GetValue<string>() is { } message ? $"\"{message}\"" : "";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "GitHub refused return_run_details for job {JobId}; dispatching without run details from now on")]
    private static partial void LogRunDetailsRefused(ILogger logger, string jobId);
}
