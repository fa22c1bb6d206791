using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Build;

/// <summary>
/// Seeded fuzzing of <see cref="SafeTensors.Load(string, Device?)"/>: valid files are mutated (bit flips, truncation,
/// inserted bytes, duplicated and deleted runs) and every outcome must be what an independent reading of the format
/// (written here from the safetensors specification) says: the same tensors, dtypes, shapes and bytes, or an
/// <see cref="InvalidDataException"/> whose message begins with the file. Any other exception, a different tensor or a
/// hang fails the test with the case and the bytes to replay it.
/// </summary>
public sealed class SafeTensorsFuzzTests : IDisposable
{
    private const int Cases = 3000;
    private static readonly byte[] Interesting = "0123456789,:[]{}\"-eE. "u8.ToArray().Concat(new byte[] { 0x00, 0x1B, 0x80, 0xFF, 0xC3 }).ToArray();
    private static readonly Dictionary<string, (ScalarType Type, int Size)> DTypes = new()
    {
        ["F64"] = (ScalarType.Float64, 8), ["F32"] = (ScalarType.Float32, 4), ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2), ["I64"] = (ScalarType.Int64, 8), ["I32"] = (ScalarType.Int32, 4),
        ["I16"] = (ScalarType.Int16, 2), ["I8"] = (ScalarType.Int8, 1), ["U8"] = (ScalarType.Byte, 1), ["BOOL"] = (ScalarType.Bool, 1),
    };

    private readonly ScratchFolder scratch = new("affectmae-st-fuzz-");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Mutated_files_load_as_written_or_fail_naming_the_file()
    {
        string path = Path.Combine(scratch.Path, "fuzz.safetensors");
        Fuzz.Run(Seeds(), Interesting, 77, Cases, path, bytes =>
        {
            var expected = Reference(bytes);
            try
            {
                var loaded = SafeTensors.Load(path);
                try { return new(true, expected is null ? "loaded, but the reference rejects it" : Compare(loaded, expected)); }
                finally { foreach (var t in loaded.Values) t.Dispose(); }
            }
            catch (InvalidDataException e)
            {
                return new(false, expected is not null ? $"threw {e.Message}, but the reference loads it"
                    : e.Message.StartsWith($"{path}: ", StringComparison.Ordinal) ? null : $"threw without naming the file first: {e.Message}");
            }
            catch (Exception e)
            {
                return new(false, $"threw {e}");
            }
        });
    }

    private byte[][] Seeds()
    {
        using var scope = NewDisposeScope();
        var files = new List<byte[]>();
        void Add(Dictionary<string, Tensor> tensors, Dictionary<string, string>? metadata = null)
        {
            string file = Path.Combine(scratch.Path, $"seed{files.Count}.safetensors");
            SafeTensors.Save(file, tensors, metadata);
            files.Add(File.ReadAllBytes(file));
        }
        Add(new()
        {
            ["a"] = arange(6, dtype: float32).reshape(2, 3), ["b"] = tensor(new long[] { -1, 1 << 40 }), ["c"] = zeros(0, dtype: ScalarType.Byte),
            ["d"] = tensor(new[] { true, false, true }), ["e"] = tensor(1.5f).to(bfloat16),
        }, new() { ["format"] = "pt" });
        Add(new() { ["w"] = tensor(new float[] { 0.5f, -1, 2, 4 }).to(float16) });
        Add(new() { ["x"] = tensor(new int[] { 7 }), ["y"] = tensor(new double[] { Math.E }), ["z"] = tensor(new short[] { -2, 3 }), ["q"] = tensor(new sbyte[] { -128 }) });
        // Entries out of offset order, an ignored field and the header padded with spaces, as other writers produce.
        files.Add(Handmade("""{"late":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"early":{"dtype":"U8","shape":[1,2],"data_offsets":[0,2],"note":"x"}}   """, [1, 2, 3, 4]));
        return [.. files];
    }

    private static byte[] Handmade(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((long)json.Length), .. json, .. data];
    }

    private sealed record Expected(ScalarType Type, long[] Shape, byte[] Data);

    private static string? Compare(Dictionary<string, Tensor> loaded, Dictionary<string, Expected> expected)
    {
        if (!loaded.Keys.Order(StringComparer.Ordinal).SequenceEqual(expected.Keys.Order(StringComparer.Ordinal)))
            return $"loaded keys [{string.Join(", ", loaded.Keys)}], the reference [{string.Join(", ", expected.Keys)}]";
        foreach (var (name, tensor) in loaded)
        {
            var e = expected[name];
            if (tensor.dtype != e.Type || !tensor.shape.SequenceEqual(e.Shape) || !tensor.bytes.ToArray().AsSpan().SequenceEqual(e.Data))
                return $"'{name}' loaded as {tensor.dtype} [{string.Join(", ", tensor.shape)}], the reference {e.Type} [{string.Join(", ", e.Shape)}], or other bytes";
        }
        return null;
    }

    /// <summary>The tensors the specification says the file holds, or null when it is not a valid safetensors file.</summary>
    private static Dictionary<string, Expected>? Reference(byte[] bytes)
    {
        if (bytes.Length < 8) return null;
        ulong length = BitConverter.ToUInt64(bytes, 0);
        if (length > 100_000_000 || length > (ulong)(bytes.Length - 8)) return null;
        var header = bytes.AsSpan(8, (int)length);
        byte[] data = bytes[(8 + (int)length)..];
        try
        {
            new UTF8Encoding(false, true).GetString(header);
            if (JsonNode.Parse(header, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) is not JsonObject root) return null;
            var tensors = new Dictionary<string, Expected>(StringComparer.Ordinal);
            var ranges = new List<(long Begin, long End)>();
            foreach (var (name, node) in root)
            {
                if (name == "__metadata__")
                {
                    if (node is not JsonObject metadata || metadata.Any(kv => kv.Value?.GetValueKind() != JsonValueKind.String)) return null;
                    _ = metadata.Select(kv => kv.Value!.GetValue<string>()).ToList();
                    continue;
                }
                if (node is not JsonObject entry || entry["dtype"] is not JsonValue dtype || dtype.GetValueKind() != JsonValueKind.String
                    || !DTypes.TryGetValue(dtype.GetValue<string>(), out var type)
                    || Longs(entry["shape"]) is not { } shape || Longs(entry["data_offsets"]) is not [long begin, long end] || end < begin)
                    return null;
                var size = shape.Aggregate(new BigInteger(type.Size), (product, d) => product * Math.Max(d, 1));
                if (size > long.MaxValue) return null;
                if (shape.Contains(0)) size = 0;
                if (end - begin != size || end > data.Length) return null;
                tensors[name] = new Expected(type.Type, shape, data[(int)begin..(int)end]);
                ranges.Add((begin, end));
            }
            long covered = 0;
            foreach (var (begin, end) in ranges.OrderBy(r => r.Begin).ThenBy(r => r.End))
            {
                if (begin != covered) return null;
                covered = end;
            }
            return covered == data.Length ? tensors : null;
        }
        catch (Exception e) when (e is DecoderFallbackException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static long[]? Longs(JsonNode? node)
    {
        if (node is not JsonArray array) return null;
        var values = new long[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out long v) || v < 0) return null;
            values[i] = v;
        }
        return values;
    }
}
