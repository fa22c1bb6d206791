// Reads PyTorch's torch.save files (a zip holding data.pkl plus one entry per storage) with TorchSharp.PyBridge
// (MIT) and Razorvine.Pickle (MIT). Before PyBridge sees a byte, the pickle's globals are checked against an
// allow-list (PickleGlobals), because Razorvine turns any global it does not know into a generic object instead of
// refusing it.
using System.Collections;
using System.IO.Compression;
using System.IO.Hashing;
using AffectMae.Core.IO;
using Razorvine.Pickle;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>
/// Loads tensors from PyTorch <c>.pth</c>/<c>.pt</c> files written by <c>torch.save</c> (the zip format of
/// torch ≥ 1.6), without Python and without running anything from the file.
/// </summary>
/// <remarks>
/// <para><b>What is refused.</b> A <c>.pth</c> is a pickle, and unpickling in Python imports and calls whatever
/// globals the pickle names (a <c>__reduce__</c> returning <c>os.system</c> runs a shell command). Razorvine.Pickle,
/// which PyBridge uses, never calls Python code, but it turns every global it does not know into a generic
/// dictionary object and accepts the rest of the stream. So every file is first read opcode by opcode
/// (<see cref="PickleGlobals"/>) and refused with an <see cref="UnsafePickleException"/> when it names any global
/// outside <see cref="AllowedGlobals"/>: the tensor rebuild functions, the storage types, <c>OrderedDict</c> and
/// <c>argparse.Namespace</c> (the <c>args</c> entry of MAE's training checkpoints).</para>
/// <para><b>What is read.</b> Plain state dicts (<c>torch.save(model.state_dict())</c>, DataParallel's included) and
/// dictionaries holding them (MAE's <c>{'model', 'optimizer', 'epoch', 'scaler', 'args'}</c>). Tensors land on the
/// CPU. Not supported (PyBridge 1.4.4): files saved whole with <c>torch.save(model)</c> (they name the model's own
/// classes and are refused), <c>nn.Parameter</c> objects (save <c>state_dict()</c>, whose values are plain tensors),
/// the legacy pre-1.6 format, and tensors that are views into a larger shared storage (a state dict never holds
/// them).</para>
/// </remarks>
public static class PyTorchFile
{
    private static readonly byte[] ZipSignature = [0x50, 0x4b, 0x03, 0x04];

    /// <summary>The globals a file may refer to; any other is refused.</summary>
    public static IReadOnlySet<string> AllowedGlobals { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch.DoubleStorage", "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage",
        "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
        "torch.BoolStorage", "torch.ComplexDoubleStorage", "torch.ComplexFloatStorage",
        "argparse.Namespace",
    };

    /// <summary>Whether the file starts like a zip archive, as <c>torch.save</c> files of torch ≥ 1.6 do.</summary>
    public static bool IsPyTorchZip(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = RegularFile.OpenRead(path, "PyTorch file");
        Span<byte> head = stackalloc byte[4];
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(ZipSignature);
    }

    /// <summary>Loads a state dict (tensors by key) from a <c>torch.save</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="entry">The key of the file's top-level dictionary that holds the state dict (MAE's checkpoints:
    /// <c>"model"</c>); <see langword="null"/> when the top level is the state dict itself.</param>
    /// <param name="entryIsOptional">When true and the top level has no <paramref name="entry"/>, the top level is taken.</param>
    /// <returns>The tensors, on the CPU; the caller disposes them.</returns>
    /// <exception cref="UnsafePickleException">The pickle names a global outside <see cref="AllowedGlobals"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete torch.save zip, or the entry is missing or
    /// holds something else than tensors; the message names the file.</exception>
    public static Dictionary<string, Tensor> LoadStateDict(string path, string? entry = null, bool entryIsOptional = false)
    {
        var top = Load(path);
        object selected = top;
        if (entry is not null && top.ContainsKey(entry))
            selected = top[entry]!;
        else if (entry is not null && !entryIsOptional)
        {
            DisposeTensors(top);
            throw new InvalidDataException($"{path}: the file has no entry '{entry}'; its top-level keys are [{string.Join(", ", Keys(top))}].");
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var others = new List<string>();
        if (selected is IDictionary dictionary)
        {
            foreach (DictionaryEntry item in dictionary)
            {
                if (item.Key is string key && item.Value is Tensor tensor) tensors[key] = tensor;
                else others.Add($"{PrintableText.Quote(item.Key?.ToString() ?? "None")} ({item.Value?.GetType().Name ?? "None"})");
            }
        }
        var kept = new HashSet<object>(tensors.Values, ReferenceEqualityComparer.Instance);
        foreach (var tensor in EnumerateTensors(top).Where(t => !kept.Contains(t)))
            tensor.Dispose();   // optimizer state and anything else outside the state dict
        if (selected is not IDictionary || others.Count > 0)
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            string where = entry is not null && selected != top ? $"its entry '{entry}'" : "its top level";
            throw new InvalidDataException(selected is IDictionary
                ? $"{path}: {where} is not a state dict: besides tensors it holds {string.Join(", ", others.Take(10))}{(others.Count > 10 ? ", …" : "")}. "
                  + $"Name the entry that holds the weights (top-level keys: [{string.Join(", ", Keys(top))}])."
                : $"{path}: {where} is a {selected.GetType().Name}, not a dictionary of tensors.");
        }
        return tensors;
    }

    /// <summary>
    /// Unpickles a <c>torch.save</c> file after checking its globals: dictionaries come back as
    /// <see cref="Hashtable"/>s, tensors as CPU <see cref="Tensor"/>s, <c>argparse.Namespace</c> as a dictionary of
    /// its fields, Python numbers and strings as .NET values.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The top-level dictionary; the caller disposes the tensors in it.</returns>
    /// <exception cref="UnsafePickleException">The pickle names a global outside <see cref="AllowedGlobals"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete torch.save zip; the message names the file.</exception>
    public static Hashtable Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = RegularFile.OpenRead(path, "PyTorch file");
        CheckZipSignature(stream, path);
        CheckGlobals(stream, path);
        stream.Position = 0;
        try
        {
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        // Only third-party parsing runs here, over bytes whose globals are already checked: whatever it throws (Razorvine's
        // PickleException, PyBridge's casts and unsupported constructs, libtorch refusing a shape) means a malformed file.
        catch (Exception e) when (e is not (OutOfMemoryException or UnsafePickleException))
        {
            throw new InvalidDataException($"{path}: cannot read this torch.save file: {e.Message}", e);
        }
    }

    private static void CheckZipSignature(Stream stream, string path)
    {
        Span<byte> head = stackalloc byte[4];
        if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4 || !head.SequenceEqual(ZipSignature))
            throw new InvalidDataException($"{path}: not a torch.save zip archive (it does not start with 'PK\\x03\\x04'). Files from torch < 1.6 "
                + "use a legacy format: load and re-save them with a newer torch, or convert them to safetensors.");
        stream.Position = 0;
    }

    private static void CheckGlobals(Stream stream, string path)
    {
        byte[] pickle;
        try
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            CheckCrc32(archive, path);
            // The same entry PyBridge unpickles: the first whose name ends with "data.pkl".
            var entry = archive.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw new InvalidDataException($"{path}: the zip archive holds no data.pkl, so it is not a torch.save file.");
            using var data = entry.Open();
            using var buffer = new MemoryStream();
            data.CopyTo(buffer);
            pickle = buffer.ToArray();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: the zip archive is truncated or damaged: {e.Message}", e);
        }

        IReadOnlyList<PickleGlobal> globals;
        try
        {
            globals = PickleGlobals.Scan(pickle);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: data.pkl is not a valid pickle: {e.Message}", e);
        }
        foreach (var global in globals)
        {
            if (global.Name == "torch._utils._rebuild_parameter")
                throw new InvalidDataException($"{path}: the file holds nn.Parameter objects (torch._utils._rebuild_parameter), which are not read; "
                    + "save the module's state_dict(), whose values are plain tensors.");
            if (global.Name is null || !AllowedGlobals.Contains(global.Name))
                throw new UnsafePickleException(path, global);
        }
    }

    // .NET's zip reader does not check CRCs, and PyBridge reads storages without checking them either; torch.load
    // (miniz) refuses a damaged entry, so we do too: a flipped bit must not load as another weight or key.
    private static void CheckCrc32(ZipArchive archive, string path)
    {
        var crc = new Crc32();
        byte[] buffer = new byte[1 << 16];
        foreach (var entry in archive.Entries)
        {
            crc.Reset();
            using var data = entry.Open();
            for (int read; (read = data.Read(buffer)) > 0;)
                crc.Append(buffer.AsSpan(0, read));
            if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                throw new InvalidDataException($"{path}: the zip entry '{PrintableText.Escape(entry.FullName)}' fails its CRC-32 check "
                    + $"(0x{crc.GetCurrentHashAsUInt32():x8} computed, 0x{entry.Crc32:x8} recorded): the file is damaged.");
        }
    }

    // Keys come from the file: quoted with control characters escaped.
    private static IEnumerable<string> Keys(Hashtable table) =>
        table.Keys.Cast<object>().Select(k => PrintableText.Quote(k.ToString() ?? "None")).Order(StringComparer.Ordinal);

    private static IEnumerable<Tensor> EnumerateTensors(object? value) => value switch
    {
        Tensor tensor => [tensor],
        IDictionary dictionary => dictionary.Values.Cast<object?>().SelectMany(EnumerateTensors),
        IEnumerable items and not string => items.Cast<object?>().SelectMany(EnumerateTensors),
        _ => [],
    };

    private static void DisposeTensors(object? value)
    {
        foreach (var tensor in EnumerateTensors(value)) tensor.Dispose();
    }
}
