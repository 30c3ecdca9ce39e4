using System.Text;
using Orleans.Storage;

namespace Provisioning.Silo.Storage;

/// <summary>
/// Where one grain state lives in the <c>OrleansStorage</c> table (db/0003): the columns of its identity and the two
/// hashes of its lookup index. The values are the ones Orleans' ADO.NET grain storage computes for the same state, so
/// rows written by either provider are read by the other.
/// </summary>
public readonly record struct GrainStorageKey(
    int GrainIdHash, int GrainTypeHash, long N0, long N1, string? Extension, string StateName)
{
    private static readonly OrleansDefaultHasher Hasher = new();

    public static GrainStorageKey From(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        long n0 = 0, n1 = 0;
        string? extension;
        byte[] idBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            idBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(idBytes, 0);
            n1 = BitConverter.ToInt64(idBytes, 8);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            idBytes = BitConverter.GetBytes(integer);
        }
        else
        {
            // A plain string key is kept whole in the extension column, with no numeric part.
            extension = grainId.Key.ToString();
            idBytes = [];
        }

        if (extension is not null)
        {
            idBytes = [.. idBytes, .. Encoding.UTF8.GetBytes(extension)];
        }

        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(idBytes);
        }

        return new GrainStorageKey(
            Hasher.Hash(idBytes), Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), n0, n1, extension, stateName);
    }

    public override string ToString() => $"{StateName}/{Extension ?? $"{N0:x16}{N1:x16}"}";
}
