using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Provisioning.StandardWebhooks;
using Provisioning.ActionsSimulator.Runs;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// Plays the provisioning workflow's side of each new run, as <c>.github/workflows/provision-agent.yml</c> does: after
/// <c>Simulator:PickupDelay</c> the run is <c>in_progress</c> and claims the job, heartbeats every
/// <c>Simulator:HeartbeatInterval</c> while it provisions for <c>Simulator:ProvisionDuration</c>, then completes with an
/// output; each callback signed with <c>Simulator:CallbackSecret</c>. A queued <see cref="Behaviour"/> for the run's job
/// changes that. A 409 stops the run (conclusion <c>cancelled</c>); network errors and 5xx are retried.
/// </summary>
public sealed class CallbackRunPlayer(
    IOptions<SimulatorOptions> options,
    BehaviourQueue behaviours,
    CallbackLog log,
    RunStore runs,
    IHttpClientFactory httpClients,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<CallbackRunPlayer> logger) : IRunPlayer
{
    public const string HttpClientName = "callbacks";

    private const int MaxAnswerLength = 4096;

    private readonly byte[] _key = WebhookSecret.TryDecode(options.Value.CallbackSecret ?? "")
        ?? throw new InvalidOperationException($"{SimulatorOptions.Section}:CallbackSecret is not a usable secret: runs cannot be played.");

    private SimulatorOptions Settings => options.Value;

    public void Play(WorkflowRun run)
    {
        var behaviour = behaviours.Take(run.Inputs.GetValueOrDefault("job_id"));
        _ = Task.Run(() => PlaySafelyAsync(run, behaviour, lifetime.ApplicationStopping));
    }

    private async Task PlaySafelyAsync(WorkflowRun run, Behaviour? behaviour, CancellationToken stopping)
    {
        try
        {
            await PlayAsync(run, behaviour, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The simulator is stopping: the run is abandoned where it is.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SimulatorLog.RunCrashed(logger, run.Id, ex);
            End(run, "failure", $"the simulator failed: {ex.GetType().Name}");
        }
    }

    private async Task PlayAsync(WorkflowRun run, Behaviour? behaviour, CancellationToken stopping)
    {
        var play = new RunPlay(run, behaviour);
        SimulatorLog.RunPlaying(logger, run.Id, play.JobId ?? "-", behaviour?.Kind ?? "normal");
        if (behaviour?.Kind == BehaviourKinds.Silent)
        {
            return;
        }

        await Task.Delay(Settings.PickupDelay, time, stopping);
        runs.Update(run.Id, r => r with { Status = "in_progress" });
        if (!string.Equals(play.CallbackUrl, Settings.CallbackUrl, StringComparison.Ordinal))
        {
            // The template's first step: callbacks go only to the repository's address.
            End(run, "failure", "callback_url is not Simulator:CallbackUrl (the repository's PROVISIONING_CALLBACK_URL): nothing was sent");
            return;
        }

        if (!await StepAsync(play, "claim", stopping))
        {
            return;
        }

        if (behaviour?.Kind == BehaviourKinds.StopHeartbeats)
        {
            SimulatorLog.RunHangs(logger, run.Id);
            return;
        }

        var duration = behaviour?.Milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : Settings.ProvisionDuration;
        var start = time.GetTimestamp();
        for (var beat = 1; Settings.HeartbeatInterval * beat < duration; beat++)
        {
            await DelayUntilAsync(start, Settings.HeartbeatInterval * beat, stopping);
            var answer = await SendAsync(play, "heartbeat", stopping);
            if (answer == CallbackOutcomes.Stop)
            {
                End(run, "cancelled", "a heartbeat answered 409");
                return;
            }
        }

        await DelayUntilAsync(start, duration, stopping);
        if (behaviour?.Kind == BehaviourKinds.Fail)
        {
            if (await StepAsync(play, "fail", stopping))
            {
                End(run, "failure", "the run reported fail");
            }

            return;
        }

        if (await StepAsync(play, "complete", stopping))
        {
            End(run, "success", "the run reported complete");
        }
    }

    /// <summary>Sends a callback the run cannot go on without; ends the run and answers false when it was not accepted.</summary>
    private async Task<bool> StepAsync(RunPlay play, string callbackEvent, CancellationToken stopping)
    {
        var outcome = await SendAsync(play, callbackEvent, stopping);
        switch (outcome)
        {
            case CallbackOutcomes.Accepted:
                return true;
            case CallbackOutcomes.Stop:
                End(play.Run, "cancelled", $"{callbackEvent} answered 409");
                return false;
            default:
                End(play.Run, "failure", $"{callbackEvent} was not accepted ({outcome})");
                return false;
        }
    }

    /// <summary>Sends one callback, retrying network errors and 5xx; answers its outcome (<see cref="CallbackOutcomes"/>).</summary>
    private async Task<string> SendAsync(RunPlay play, string callbackEvent, CancellationToken stopping)
    {
        var body = play.Body(callbackEvent);
        JsonElement bodyJson;
        using (var document = JsonDocument.Parse(body))
        {
            bodyJson = document.RootElement.Clone();
        }

        var webhookId = WebhookSignature.NewMessageId();
        var http = httpClients.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            var lastTry = attempt >= Settings.CallbackTries;
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            var sequence = log.Add(seq => new CallbackRecord(
                seq, Milliseconds(time.GetUtcNow()), null, play.Run.Id, play.JobId, play.Attempt, callbackEvent, webhookId, timestamp,
                attempt, play.CallbackUrl, play.Behaviour?.Kind, bodyJson, null, CallbackOutcomes.Pending, null, null));

            using var request = new HttpRequestMessage(HttpMethod.Post, play.CallbackUrl)
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("webhook-id", webhookId);
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Sign(_key, webhookId, timestamp, body));
            request.Headers.UserAgent.ParseAdd("GitHub-Actions-Simulator/1.0");

            int? status = null;
            string? error = null;
            string? answer = null;
            try
            {
                using var response = await http.SendAsync(request, stopping);
                status = (int)response.StatusCode;
                answer = await ReadAnswerAsync(response, stopping);
            }
            catch (HttpRequestException ex)
            {
                error = ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}";
            }
            catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
            {
                error = $"no answer within {Settings.CallbackTimeout.TotalSeconds:0.###} s";
            }

            var transient = status is null or >= 500;
            var outcome = status switch
            {
                >= 200 and < 300 => CallbackOutcomes.Accepted,
                (int)HttpStatusCode.Conflict => CallbackOutcomes.Stop,
                _ when transient => lastTry ? CallbackOutcomes.GaveUp : CallbackOutcomes.Retry,
                _ => CallbackOutcomes.Rejected,
            };
            log.Update(sequence, r => r with
            {
                AnsweredAt = Milliseconds(time.GetUtcNow()), Status = status, Outcome = outcome, Error = error, Answer = answer,
            });
            SimulatorLog.Callback(logger, play.Run.Id, play.JobId ?? "-", callbackEvent, play.Attempt?.ToString(CultureInfo.InvariantCulture) ?? "-",
                status?.ToString(CultureInfo.InvariantCulture) ?? "no answer", attempt, outcome);
            if (outcome != CallbackOutcomes.Retry)
            {
                return outcome;
            }

            await Task.Delay(Settings.CallbackRetryDelay * Math.Pow(2, attempt - 1), time, stopping);
        }
    }

    private void End(WorkflowRun run, string conclusion, string reason)
    {
        runs.Update(run.Id, r => r with { Status = "completed", Conclusion = conclusion });
        SimulatorLog.RunEnded(logger, run.Id, conclusion, reason);
    }

    private async Task DelayUntilAsync(long start, TimeSpan offset, CancellationToken stopping)
    {
        var wait = offset - time.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, stopping);
        }
    }

    private static async Task<string?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? null : text.Length > MaxAnswerLength ? text[..MaxAnswerLength] : text;
    }

    private static DateTimeOffset Milliseconds(DateTimeOffset value) =>
        new(value.UtcTicks - value.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>A run being played: what its callbacks say.</summary>
    private sealed class RunPlay
    {
        private readonly string? _attemptText;

        public RunPlay(WorkflowRun run, Behaviour? behaviour)
        {
            Run = run;
            Behaviour = behaviour;
            JobId = run.Inputs.GetValueOrDefault("job_id");
            CallbackUrl = run.Inputs.GetValueOrDefault("callback_url") ?? "";
            _attemptText = run.Inputs.GetValueOrDefault("attempt");
            var dispatched = int.TryParse(_attemptText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;
            Attempt = behaviour?.Kind == BehaviourKinds.StaleAttempt ? behaviour.Attempt ?? StaleAttempt(dispatched ?? 1) : dispatched;
        }

        public WorkflowRun Run { get; }

        public Behaviour? Behaviour { get; }

        public string? JobId { get; }

        public string CallbackUrl { get; }

        /// <summary>The attempt the callbacks carry; null when the dispatched attempt is not a number (then sent as given).</summary>
        public int? Attempt { get; }

        /// <summary>The attempt before the dispatched one; for attempt 1, whose predecessor does not exist, the next one.</summary>
        private static int StaleAttempt(int dispatched) => dispatched > 1 ? dispatched - 1 : dispatched + 1;

        public byte[] Body(string callbackEvent)
        {
            var body = new JsonObject
            {
                ["job_id"] = JobId,
                ["attempt"] = Attempt is { } attempt ? JsonValue.Create(attempt) : JsonValue.Create(_attemptText),
                ["event"] = callbackEvent,
                ["run_id"] = Run.Id,
                ["run_attempt"] = 1,
                ["run_url"] = Run.HtmlUrl,
            };
            if (callbackEvent == "complete")
            {
                body["output"] = new JsonObject
                {
                    ["endpoint"] = $"https://{Run.Inputs.GetValueOrDefault("agent_id")}.agents.example.com",
                    ["region"] = Run.Inputs.GetValueOrDefault("region"),
                };
            }
            else if (callbackEvent == "fail")
            {
                body["message"] = Behaviour?.Message ?? BehaviourSpec.DefaultFailMessage;
                body["retryable"] = Behaviour?.Retryable ?? false;
            }

            return Encoding.UTF8.GetBytes(body.ToJsonString());
        }
    }
}
