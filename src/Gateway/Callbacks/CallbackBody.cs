using System.Globalization;
using System.Text.Json;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Callbacks;

/// <summary>
/// Reads a verified callback body: <c>{"job_id", "attempt", "event", "run_id", "run_attempt", "run_url", "message",
/// "retryable", "output"}</c>. Workflow inputs are strings, so <c>attempt</c>, <c>run_attempt</c> and <c>retryable</c> may
/// be sent as strings, and <c>run_id</c> as a string or a number. Unknown fields are ignored.
/// </summary>
public static class CallbackBody
{
    /// <summary>The longest job id accepted (job ids are Stripe event ids, about 30 characters).</summary>
    public const int MaxJobIdLength = 200;

    private static readonly Dictionary<string, CallbackEvent> Events = new(StringComparer.Ordinal)
    {
        ["claim"] = CallbackEvent.Claim,
        ["heartbeat"] = CallbackEvent.Heartbeat,
        ["complete"] = CallbackEvent.Complete,
        ["fail"] = CallbackEvent.Fail,
    };

    /// <summary>
    /// The job id and the callback, or the fields that are wrong (<paramref name="errors"/>, by field name).
    /// <paramref name="callbackId"/> is the <c>webhook-id</c> the job de-duplicates by.
    /// </summary>
    public static bool TryRead(
        ReadOnlyMemory<byte> body, string callbackId,
        out string jobId, out WorkflowCallback? callback, out Dictionary<string, string[]> errors)
    {
        (jobId, callback, errors) = ("", null, []);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            errors["body"] = [$"not valid JSON: {ex.Message}"];
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = [$"a JSON object was expected, not a {root.ValueKind.ToString().ToLowerInvariant()}"];
                return false;
            }

            var fields = new Fields(root, errors);
            var id = fields.RequiredString("job_id", MaxJobIdLength);
            var attempt = fields.PositiveInteger("attempt", required: true);
            var callbackEvent = fields.Event();
            var runId = fields.RunId();
            var runAttempt = fields.PositiveInteger("run_attempt", required: false);
            var runUrl = fields.HttpUrl("run_url");
            var message = fields.OptionalString("message");
            var retryable = fields.Boolean("retryable");
            var output = fields.Output();
            if (errors.Count > 0)
            {
                return false;
            }

            jobId = id!;
            callback = new WorkflowCallback(callbackId, callbackEvent!.Value, attempt!.Value, runId, runAttempt, runUrl, message, retryable, output);
            return true;
        }
    }

    /// <summary>Reads one field at a time, noting what is wrong with it.</summary>
    private readonly struct Fields(JsonElement root, Dictionary<string, string[]> errors)
    {
        public string? RequiredString(string name, int maxLength)
        {
            var value = Get(name);
            if (value is not { ValueKind: JsonValueKind.String } || value.Value.GetString() is not { Length: > 0 } text || string.IsNullOrWhiteSpace(text))
            {
                return Error<string>(name, "is required: a non-empty string");
            }

            return text.Length <= maxLength ? text : Error<string>(name, $"is longer than {maxLength} characters");
        }

        public int? PositiveInteger(string name, bool required)
        {
            var value = Get(name);
            if (value is null)
            {
                return required ? Error<int?>(name, "is required: a whole number from 1, or such a number as a string") : null;
            }

            var parsed = value.Value.ValueKind switch
            {
                JsonValueKind.Number when value.Value.TryGetInt32(out var number) => number,
                JsonValueKind.String when int.TryParse(value.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
                _ => 0,
            };
            return parsed >= 1 ? parsed : Error<int?>(name, $"{value.Value.GetRawText()} is not a whole number from 1");
        }

        public CallbackEvent? Event()
        {
            var value = Get("event");
            if (value is { ValueKind: JsonValueKind.String } && Events.TryGetValue(value.Value.GetString()!, out var known))
            {
                return known;
            }

            return Error<CallbackEvent?>("event", value is null
                ? "is required: one of claim, heartbeat, complete, fail"
                : $"{value.Value.GetRawText()} is not one of claim, heartbeat, complete, fail");
        }

        /// <summary>GitHub's run id (<c>github.run_id</c>): a string of digits or a number; required, since only the claiming run is heard.</summary>
        public string? RunId()
        {
            var value = Get("run_id");
            return value switch
            {
                { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var id) && id > 0 => id.ToString(CultureInfo.InvariantCulture),
                { ValueKind: JsonValueKind.String } text when text.GetString() is { Length: > 0 and <= 100 } id && !string.IsNullOrWhiteSpace(id) => id,
                null => Error<string>("run_id", "is required: the run's github.run_id, a string or a number"),
                _ => Error<string>("run_id", $"{value.Value.GetRawText()} is not a run id"),
            };
        }

        public string? HttpUrl(string name)
        {
            var text = OptionalString(name);
            if (text is null)
            {
                return null;
            }

            return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                ? text
                : Error<string>(name, "is not an absolute http(s) URL");
        }

        public string? OptionalString(string name)
        {
            var value = Get(name);
            return value switch
            {
                null => null,
                { ValueKind: JsonValueKind.String } text => text.GetString() is { Length: > 0 } s ? s : null,
                _ => Error<string>(name, $"{value.Value.GetRawText()} is not a string"),
            };
        }

        public bool Boolean(string name)
        {
            var value = Get(name);
            return value switch
            {
                null => false,
                { ValueKind: JsonValueKind.True } => true,
                { ValueKind: JsonValueKind.False } => false,
                { ValueKind: JsonValueKind.String } text when text.GetString() is "true" => true,
                { ValueKind: JsonValueKind.String } text when text.GetString() is "false" or "" => false,
                _ => Error<bool>(name, $"{value.Value.GetRawText()} is not true or false"),
            };
        }

        /// <summary>The run's output as JSON text: an object, or nothing.</summary>
        public string? Output()
        {
            var value = Get("output");
            return value switch
            {
                null => null,
                { ValueKind: JsonValueKind.Object } output => output.GetRawText(),
                _ => Error<string>("output", $"a JSON object was expected, not a {value.Value.ValueKind.ToString().ToLowerInvariant()}"),
            };
        }

        /// <summary>The field, or null when it is absent or JSON null.</summary>
        private JsonElement? Get(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private T? Error<T>(string name, string message)
        {
            errors[name] = [message];
            return default;
        }
    }
}
