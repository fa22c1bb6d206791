using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>
/// Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
/// little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte range, then the
/// raw little-endian tensor data. Supported dtypes: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>Loads every tensor of a file onto <paramref name="device"/> (CPU when null).</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and the entry.</exception>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => Load(path, out _, device);

    /// <summary>Loads every tensor of a file and its <c>__metadata__</c> string map.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and the entry.</exception>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndianHost();
        using var stream = File.OpenRead(path);
        var header = ReadHeader(stream, path, out long dataStart);
        metadata = header.Metadata;

        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in header.Entries.OrderBy(e => e.Begin))
            {
                stream.Position = dataStart + entry.Begin;
                var tensor = empty(entry.Shape, entry.DType);
                tensor.ReadBytesFromStream(stream);
                tensors[entry.Name] = device is null || device.type == DeviceType.CPU ? tensor : MoveTo(tensor, device);
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>
    /// Writes tensors (any device; copied to CPU) and optional metadata. The file is written under a temporary name
    /// and renamed into place, so a crash never leaves a half-written file at <paramref name="path"/>.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndianHost();

        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header[MetadataKey] = metadata;
        long offset = 0;
        foreach (var name in names)
        {
            var tensor = tensors[name];
            long bytes = tensor.numel() * tensor.ElementSize;
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = DTypeName(tensor.dtype, name),
                ["shape"] = tensor.shape,
                ["data_offsets"] = new[] { offset, offset + bytes },
            };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - json.Length % 8) % 8;

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)(json.Length + padding)));
            stream.Write(json);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var name in names)
            {
                using var scope = NewDisposeScope();
                tensors[name].detach().cpu().contiguous().WriteBytesToStream(stream);
            }
        });
    }

    private sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    private sealed record Header(List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata);

    private static Header ReadHeader(Stream stream, string path, out long dataStart)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8)
            throw new InvalidDataException($"{path}: too short to be a safetensors file (no 8-byte header length).");
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
            throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file's {stream.Length} bytes.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;

        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: header is not valid JSON: {e.Message}", e); }

        using (document)
        {
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.GetString() ?? "";
                    continue;
                }
                entries.Add(ParseEntry(property, path, dataLength));
            }
            return new Header(entries, metadata);
        }
    }

    private static Entry ParseEntry(JsonProperty property, string path, long dataLength)
    {
        string name = property.Name;
        try
        {
            string dtypeName = property.Value.GetProperty("dtype").GetString() ?? "";
            if (!DTypes.TryGetValue(dtypeName, out var dtype))
                throw new InvalidDataException($"{path}: tensor '{name}' has dtype '{dtypeName}'; supported: {string.Join(", ", DTypes.Keys)}.");
            long[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                throw new InvalidDataException($"{path}: tensor '{name}' has data_offsets [{string.Join(", ", offsets)}] outside the {dataLength} data bytes.");
            long expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
            if (offsets[1] - offsets[0] != expected)
                throw new InvalidDataException($"{path}: tensor '{name}' of shape [{string.Join(", ", shape)}] {dtypeName} needs {expected} bytes; its data_offsets span {offsets[1] - offsets[0]}.");
            return new Entry(name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' needs 'dtype', 'shape' and 'data_offsets' entries.", e);
        }
    }

    private static Tensor MoveTo(Tensor tensor, Device device)
    {
        using (tensor) return tensor.to(device);
    }

    private static string DTypeName(ScalarType dtype, string name)
    {
        foreach (var (key, value) in DTypes)
            if (value == dtype) return key;
        throw new ArgumentException($"Tensor '{name}' has dtype {dtype}, which safetensors cannot store here; convert it first.", nameof(name));
    }

    private static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported.");
    }
}
