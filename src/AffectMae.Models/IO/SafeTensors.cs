using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AffectMae.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>
/// Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an 8-byte
/// little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte range, then the
/// raw little-endian tensor data. Supported dtypes: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL.
/// </summary>
/// <remarks>
/// Reading checks the whole header before any tensor is allocated, as the reference implementation does: the header is
/// UTF-8 JSON whose root is an object; every key appears once; <c>__metadata__</c>, when present, maps strings to
/// strings; every tensor has a supported dtype, a shape of non-negative integers whose byte size fits in a
/// <see cref="long"/> and equals its <c>data_offsets</c> range; and the ranges, sorted, tile the data exactly — no gap,
/// no overlap, nothing after the last. Anything else is an <see cref="InvalidDataException"/> naming the file and
/// the key, so nothing malformed reaches libtorch.
/// </remarks>
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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads every tensor of a file onto <paramref name="device"/> (CPU when null).</summary>
    /// <param name="path">The file.</param>
    /// <param name="device">Where the tensors go; CPU when null.</param>
    /// <returns>The tensors by name; the caller disposes them.</returns>
    /// <exception cref="InvalidDataException">The file is not valid safetensors (see the remarks); the message names the file and the entry.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => Load(path, out _, device);

    /// <summary>Loads every tensor of a file and its <c>__metadata__</c> string map.</summary>
    /// <param name="path">The file.</param>
    /// <param name="metadata">The <c>__metadata__</c> map; empty when the file has none.</param>
    /// <param name="device">Where the tensors go; CPU when null.</param>
    /// <returns>The tensors by name; the caller disposes them.</returns>
    /// <exception cref="InvalidDataException">The file is not valid safetensors (see the remarks); the message names the file and the entry.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndianHost();
        using var stream = RegularFile.OpenRead(path, "safetensors file", 1 << 16);
        var header = ReadHeader(stream, path, out long dataStart);
        metadata = header.Metadata;

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in header.Entries)
            {
                stream.Position = dataStart + entry.Begin;
                var tensor = empty(entry.Shape, entry.DType);
                tensors[entry.Name] = tensor;
                tensor.ReadBytesFromStream(stream);
                if (device is not null && device.type != DeviceType.CPU) tensors[entry.Name] = MoveTo(tensor, device);
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

    /// <summary>Reads and checks the header; the entries come back sorted by their data offsets.</summary>
    private static Header ReadHeader(Stream stream, string path, out long dataStart)
    {
        string file = PrintableText.Escape(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) != 8)
            throw new InvalidDataException($"{file}: too short to be a safetensors file (no 8-byte header length).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(stream.Length - 8))
            throw new InvalidDataException($"{file}: header length {headerLength} exceeds the file's {stream.Length} bytes"
                + (headerLength > MaxHeaderBytes ? $" or the {MaxHeaderBytes}-byte limit." : "."));
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;

        try
        {
            StrictUtf8.GetCharCount(json);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{file}: the header is not valid UTF-8 (byte {e.Index} of the header).", e);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: the header is not valid JSON: {PrintableText.Escape(e.Message)}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{file}: the header is a JSON {Kind(root)}, not an object mapping tensor names to entries.");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                string name = Name(property, file, null);
                if (!seen.Add(name))
                    throw new InvalidDataException($"{file}: the header has the key '{PrintableText.Escape(name)}' twice.");
                if (name == MetadataKey) ReadMetadata(property.Value, file, metadata);
                else entries.Add(ParseEntry(name, property.Value, file));
            }
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            CheckTiling(entries, dataLength, file);
            return new Header(entries, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, string file, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{file}: '{MetadataKey}' is a JSON {Kind(value)}; it must be an object of strings.");
        foreach (var item in value.EnumerateObject())
        {
            string key = Name(item, file, MetadataKey);
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{file}: '{MetadataKey}' entry '{PrintableText.Escape(key)}' is a JSON {Kind(item.Value)}; metadata values must be strings.");
            if (!metadata.TryAdd(key, Text(item.Value, file, $"'{MetadataKey}' entry '{PrintableText.Escape(key)}'")))
                throw new InvalidDataException($"{file}: '{MetadataKey}' has the key '{PrintableText.Escape(key)}' twice.");
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, string file)
    {
        string tensor = $"tensor '{PrintableText.Escape(name)}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{file}: {tensor} is a JSON {Kind(value)}; it must be an object with 'dtype', 'shape' and 'data_offsets'.");
        JsonElement? dtypeValue = null, shapeValue = null, offsetsValue = null;
        foreach (var field in value.EnumerateObject())
        {
            string key = Name(field, file, tensor);
            ref JsonElement? slot = ref dtypeValue;
            if (key == "shape") slot = ref shapeValue;
            else if (key == "data_offsets") slot = ref offsetsValue;
            else if (key != "dtype") continue;   // other fields are ignored, as the reference implementation does
            if (slot is not null)
                throw new InvalidDataException($"{file}: {tensor} has '{key}' twice.");
            slot = field.Value;
        }
        if (dtypeValue is not { } dtypeElement || shapeValue is not { } shapeElement || offsetsValue is not { } offsetsElement)
            throw new InvalidDataException($"{file}: {tensor} needs 'dtype', 'shape' and 'data_offsets' entries.");

        string dtypeName = dtypeElement.ValueKind == JsonValueKind.String ? Text(dtypeElement, file, tensor) : "";
        if (!DTypes.TryGetValue(dtypeName, out var dtype))
            throw new InvalidDataException($"{file}: {tensor} has dtype {(dtypeElement.ValueKind == JsonValueKind.String ? PrintableText.Quote(dtypeName) : "of JSON kind " + Kind(dtypeElement))}; "
                + $"supported: {string.Join(", ", DTypes.Keys)}.");
        long[] shape = Integers(shapeElement, file, tensor, "shape");
        long[] offsets = Integers(offsetsElement, file, tensor, "data_offsets");
        if (offsets.Length != 2 || offsets[1] < offsets[0])
            throw new InvalidDataException($"{file}: {tensor} has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin ≤ end.");

        // The byte size, with a zero dimension as well: libtorch checks [0, 2^62, 2^62] for overflow too.
        long bytes = ElementSize(dtype);
        try
        {
            foreach (long dimension in shape) bytes = checked(bytes * Math.Max(dimension, 1));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{file}: {tensor} of shape [{string.Join(", ", shape)}] {dtypeName} needs more than {long.MaxValue} bytes.");
        }
        if (shape.Contains(0)) bytes = 0;
        if (offsets[1] - offsets[0] != bytes)
            throw new InvalidDataException($"{file}: {tensor} of shape [{string.Join(", ", shape)}] {dtypeName} needs {bytes} bytes; its data_offsets span {offsets[1] - offsets[0]}.");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>Checks that the byte ranges, sorted, cover the data exactly once.</summary>
    private static void CheckTiling(List<Entry> entries, long dataLength, string file)
    {
        long covered = 0;
        foreach (var entry in entries)
        {
            string tensor = $"tensor '{PrintableText.Escape(entry.Name)}'";
            if (entry.End > dataLength)
                throw new InvalidDataException($"{file}: {tensor} has data_offsets [{entry.Begin}, {entry.End}] outside the {dataLength} data bytes.");
            if (entry.Begin < covered)
                throw new InvalidDataException($"{file}: {tensor} has data_offsets [{entry.Begin}, {entry.End}], overlapping the tensor before it, which ends at {covered}.");
            if (entry.Begin > covered)
                throw new InvalidDataException($"{file}: {tensor} has data_offsets [{entry.Begin}, {entry.End}], leaving bytes {covered}–{entry.Begin} before it unused.");
            covered = entry.End;
        }
        if (covered != dataLength)
            throw new InvalidDataException($"{file}: the tensors cover {covered} of the {dataLength} data bytes; the rest belongs to no tensor.");
    }

    private static long[] Integers(JsonElement value, string file, string tensor, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{file}: {tensor} has a '{field}' that is a JSON {Kind(value)}, not an array of integers.");
        var integers = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long integer) || integer < 0)
                throw new InvalidDataException($"{file}: {tensor} has '{field}' {PrintableText.Quote(item.GetRawText())} at position {i}; expected integers from 0 to {long.MaxValue}.");
            integers[i++] = integer;
        }
        return integers;
    }

    /// <summary>A property name; a lone surrogate escape (<c>\ud800</c>) is valid JSON but no string.</summary>
    private static string Name(JsonProperty property, string file, string? within)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{file}: a key{(within is null ? "" : " in " + within)} is not valid Unicode: {PrintableText.Escape(e.Message)}", e);
        }
    }

    private static string Text(JsonElement value, string file, string what)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{file}: a string in {what} is not valid Unicode: {PrintableText.Escape(e.Message)}", e);
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

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
