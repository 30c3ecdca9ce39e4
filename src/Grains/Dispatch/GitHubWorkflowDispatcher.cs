using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Grains.Dispatch;

/// <summary>
/// Dispatches the workflow through GitHub's REST API (<c>POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches</c>),
/// asking for the run's details (<c>return_run_details</c>). A server that refuses that field with 400 (older GitHub
/// Enterprise Server) is asked again without it, and not asked with it again by this process.
/// </summary>
public sealed partial class GitHubWorkflowDispatcher(
    HttpClient http,
    IOptions<GitHubOptions> github,
    IOptions<DispatchOptions> dispatch,
    TimeProvider time,
    ILogger<GitHubWorkflowDispatcher> logger) : IWorkflowDispatcher
{
    public const string ApiVersion = "2022-11-28";
    private static int s_runDetailsRefused;

    public async Task<DispatchOutcome> DispatchAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref s_runDetailsRefused) == 0
            && await SendAsync(request, askForRun: true, cancellationToken) is { } outcome)
        {
            return outcome;
        }

        if (Interlocked.Exchange(ref s_runDetailsRefused, 1) == 0)
        {
            LogRunDetailsRefused(logger, request.JobId);
        }

        return await SendAsync(request, askForRun: false, cancellationToken)
            ?? throw new InvalidOperationException("unreachable: only a request with return_run_details can be refused for it");
    }

    /// <summary>The workflow's URL under the configured API base, with <c>api/v3/</c> for GitHub Enterprise hosts.</summary>
    public static Uri DispatchUri(GitHubOptions options)
    {
        var root = options.ApiBaseUrl.EndsWith('/') ? options.ApiBaseUrl : options.ApiBaseUrl + "/";
        var baseUri = new Uri(root);
        if (!baseUri.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase)
            && !baseUri.AbsolutePath.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase))
        {
            baseUri = new Uri(baseUri, "api/v3/");
        }

        return new Uri(baseUri,
            $"repos/{Uri.EscapeDataString(options.Owner)}/{Uri.EscapeDataString(options.Repo)}/actions/workflows/{Uri.EscapeDataString(options.Workflow)}/dispatches");
    }

    /// <summary>One request; null when the server refused <c>return_run_details</c> (400) and should be asked without it.</summary>
    private async Task<DispatchOutcome?> SendAsync(DispatchRequest request, bool askForRun, CancellationToken cancellationToken)
    {
        var options = github.Value;
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

        using var message = new HttpRequestMessage(HttpMethod.Post, DispatchUri(options)) { Content = JsonContent.Create(body) };
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        message.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("provisioning", "1.0"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(message, timeout.Token);
            return await ReadAsync(response, askForRun, timeout.Token);
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

    private async Task<DispatchOutcome?> ReadAsync(HttpResponseMessage response, bool askedForRun, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return new DispatchOutcome.Dispatched(null, null, null);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return ReadRun(text);
        }

        var said = $"GitHub answered {status} {Message(text)}".TrimEnd();
        return status switch
        {
            400 when askedForRun => null,
            401 => new DispatchOutcome.Permanent($"{said}: check GitHub:Token"),
            404 => new DispatchOutcome.Permanent($"{said}: check GitHub:Owner, GitHub:Repo and GitHub:Workflow, and that the token can see the repository"),
            422 => new DispatchOutcome.Permanent($"{said}: the workflow rejected the inputs or GitHub:Ref"),
            403 or 429 => new DispatchOutcome.RateLimited(NotBefore(response), said),
            >= 500 => new DispatchOutcome.Transient(said),
            _ => new DispatchOutcome.Permanent(said),
        };
    }

    private static DispatchOutcome.Dispatched ReadRun(string text)
    {
        try
        {
            var run = JsonNode.Parse(text);
            var id = run?["workflow_run_id"]?.GetValue<long>();
            return new DispatchOutcome.Dispatched(id, run?["run_url"]?.GetValue<string>(), run?["html_url"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Dispatched all the same: GitHub said 200. The run will name itself when it claims the job.
            return new DispatchOutcome.Dispatched(null, null, null);
        }
    }

    /// <summary>GitHub's rules: <c>retry-after</c>; else <c>x-ratelimit-reset</c> when none remain; else at least the minimum wait.</summary>
    private DateTimeOffset NotBefore(HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return now + delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date;
            }
        }

        if (Header(response, "x-ratelimit-remaining") == "0"
            && long.TryParse(Header(response, "x-ratelimit-reset"), CultureInfo.InvariantCulture, out var reset))
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(reset);
            return at > now ? at : now;
        }

        return now + dispatch.Value.MinRateLimitWait;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string Message(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() is { } message ? $"\"{message}\"" : "";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    public static string CallbackUrl(string publicUrl) => publicUrl.TrimEnd('/') + "/api/webhooks/github";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "GitHub refused return_run_details for job {JobId}; dispatching without run details from now on")]
    private static partial void LogRunDetailsRefused(ILogger logger, string jobId);
}
