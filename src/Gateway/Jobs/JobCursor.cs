using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Provisioning.Gateway.Jobs;

/// <summary>
/// Where a listing page ended: the last row's <c>created_at</c> and <c>job_id</c>. On the wire it is opaque:
/// base64url of the creation time (microseconds since the Unix epoch, 8 bytes big-endian) followed by the UTF-8 job id.
/// </summary>
public sealed record JobCursor(DateTimeOffset CreatedAt, string JobId)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public string Encode()
    {
        var id = Encoding.UTF8.GetBytes(JobId);
        var bytes = new byte[8 + id.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        id.CopyTo(bytes, 8);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string text, out JobCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length <= 8)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (micros < MinMicros || micros > MaxMicros)
        {
            return false;
        }

        try
        {
            var jobId = StrictUtf8.GetString(bytes, 8, bytes.Length - 8);
            cursor = new JobCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), jobId);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
