using System.Globalization;
using System.Text;

namespace Provisioning.Tests.Observability;

/// <summary>
/// Reads the parts of OTLP's protobuf messages the tests look at (opentelemetry-proto: trace/v1, logs/v1, common/v1), straight
/// from the wire format: <c>ExportTraceServiceRequest</c> to spans, <c>ExportLogsServiceRequest</c> to log records.
/// </summary>
public static class OtlpProtobuf
{
    public static IEnumerable<OtlpSpan> ReadSpans(byte[] message)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(message, 1))
        {
            var service = "";
            foreach (var (field, value) in All(resourceSpans))
            {
                if (field == 1)
                {
                    service = ServiceName(value);
                }
                else if (field == 2)
                {
                    spans.AddRange(Fields(value, 2).Select(span => ReadSpan(span, service)));
                }
            }
        }

        return spans;
    }

    public static IEnumerable<OtlpLogRecord> ReadLogs(byte[] message)
    {
        var records = new List<OtlpLogRecord>();
        foreach (var resourceLogs in Fields(message, 1))
        {
            var service = "";
            foreach (var (field, value) in All(resourceLogs))
            {
                if (field == 1)
                {
                    service = ServiceName(value);
                }
                else if (field == 2)
                {
                    records.AddRange(Fields(value, 2).Select(record => ReadLogRecord(record, service)));
                }
            }
        }

        return records;
    }

    private static OtlpSpan ReadSpan(byte[] span, string service)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(span);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (4, 2): parent = reader.Bytes() is { Length: > 0 } id ? Convert.ToHexStringLower(id) : null; break;
                case (5, 2): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (6, 0): kind = (int)reader.Varint(); break;
                case (9, 2): AddAttribute(attributes, reader.Bytes()); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new OtlpSpan(service, traceId, spanId, parent, name, kind, attributes);
    }

    private static OtlpLogRecord ReadLogRecord(byte[] record, string service)
    {
        string? traceId = null, body = null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in All(record))
        {
            switch (field)
            {
                case 5: body = AnyValue(value); break;
                case 6: AddAttribute(attributes, value); break;
                case 9: traceId = value.Length == 0 ? null : Convert.ToHexStringLower(value); break;
            }
        }

        return new OtlpLogRecord(service, traceId, body, attributes);
    }

    /// <summary>A <c>Resource</c>'s <c>service.name</c> attribute.</summary>
    private static string ServiceName(byte[] resource)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Fields(resource, 1))
        {
            AddAttribute(attributes, keyValue);
        }

        return attributes.GetValueOrDefault("service.name", "");
    }

    /// <summary>A <c>KeyValue</c>: key (1), <c>AnyValue</c> (2).</summary>
    private static void AddAttribute(Dictionary<string, string> attributes, byte[] keyValue)
    {
        string? key = null, value = null;
        foreach (var (field, bytes) in All(keyValue))
        {
            if (field == 1)
            {
                key = Encoding.UTF8.GetString(bytes);
            }
            else if (field == 2)
            {
                value = AnyValue(bytes);
            }
        }

        if (key is not null)
        {
            attributes[key] = value ?? "";
        }
    }

    /// <summary>An <c>AnyValue</c> as text: string (1), bool (2), int (3), double (4); arrays and maps as empty text.</summary>
    private static string? AnyValue(byte[] anyValue)
    {
        var reader = new Reader(anyValue);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2): return Encoding.UTF8.GetString(reader.Bytes());
                case (2, 0): return reader.Varint() != 0 ? "true" : "false";
                case (3, 0): return ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture);
                case (4, 1): return BitConverter.Int64BitsToDouble((long)reader.Fixed64()).ToString(CultureInfo.InvariantCulture);
                default: reader.Skip(wireType); break;
            }
        }

        return null;
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/>.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number) =>
        All(message).Where(f => f.Field == number).Select(f => f.Value);

    /// <summary>Every length-delimited field of a message, in order (other wire types are skipped).</summary>
    private static List<(int Field, byte[] Value)> All(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var reader = new Reader(message);
        while (reader.Next(out var field, out var wireType))
        {
            if (wireType == 2)
            {
                fields.Add((field, reader.Bytes()));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return fields;
    }

    private sealed class Reader(byte[] data)
    {
        private int _at;

        public bool Next(out int field, out int wireType)
        {
            if (_at >= data.Length)
            {
                field = wireType = 0;
                return false;
            }

            var key = Varint();
            field = (int)(key >> 3);
            wireType = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[_at++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public ulong Fixed64()
        {
            var value = BitConverter.ToUInt64(data, _at);
            _at += 8;
            return value;
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            var bytes = data.AsSpan(_at, length).ToArray();
            _at += length;
            return bytes;
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0: Varint(); break;
                case 1: _at += 8; break;
                case 2: Bytes(); break;
                case 5: _at += 4; break;
                default: throw new InvalidDataException($"protobuf wire type {wireType} is not used by OTLP");
            }
        }
    }
}
