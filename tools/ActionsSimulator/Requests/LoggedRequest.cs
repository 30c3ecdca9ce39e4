namespace Provisioning.ActionsSimulator.Requests;

/// <summary>
/// A request's entry in the log while it is handled, with the raw body the handlers read. Only the request's own pipeline
/// updates it; readers see each update whole.
/// </summary>
public sealed class LoggedRequest(RequestRecord record, byte[] body)
{
    private RequestRecord _record = record;

    public RequestRecord Record => Volatile.Read(ref _record);

    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>Whether the simulator chose to send no answer (it closed the connection instead).</summary>
    public bool Unanswered { get; private set; }

    public void MarkUnanswered() => Unanswered = true;

    public void Update(Func<RequestRecord, RequestRecord> change) => Volatile.Write(ref _record, change(Record));
}
