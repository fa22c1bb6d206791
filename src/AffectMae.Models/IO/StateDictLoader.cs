using AffectMae.Core.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>
/// Copies named tensors into a module's parameters and buffers, reporting every missing key, unexpected key, shape
/// mismatch, dtype mismatch and non-finite weight together in one exception instead of stopping at the first.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="tensors"/> into <paramref name="module"/>. With a <paramref name="prefix"/>, only keys
    /// that start with it are used, with the prefix removed (e.g. <c>"encoder."</c>).
    /// </summary>
    /// <remarks>
    /// Floating-point tensors load into floating-point parameters of any precision (an F16 file into a float32 model);
    /// an integer or boolean tensor never loads into a floating-point one or the other way round, and non-floating
    /// dtypes must match exactly, because such a cast (I64 weights read as floats) silently changes every value.
    /// </remarks>
    /// <param name="module">The module to fill.</param>
    /// <param name="tensors">Tensors by state-dict key.</param>
    /// <param name="prefix">A key prefix to select and strip, or null.</param>
    /// <param name="strict">When true, any missing or unexpected key is an error; shape and dtype mismatches always are.</param>
    /// <param name="ignoredKeys">Keys (after the prefix is removed) that may be present without a place in the module.</param>
    /// <param name="source">What the tensors came from (a file name), for messages.</param>
    /// <param name="knownProblems">Problems found before loading (e.g. while translating a checkpoint's keys), reported
    /// in the same exception as the key and shape problems.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <returns>The missing keys and unexpected keys (empty when strict).</returns>
    /// <exception cref="InvalidDataException">
    /// Keys, shapes or dtypes do not match, or a weight holds NaN or ±∞ (unless allowed); the message lists them all.
    /// Nothing is copied into the module then.
    /// </exception>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) Load(
        nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string? prefix = null, bool strict = true,
        IEnumerable<string>? ignoredKeys = null, string source = "state dict", IEnumerable<string>? knownProblems = null, bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensors);
        var ignored = new HashSet<string>(ignoredKeys ?? []);
        var incoming = new Dictionary<string, Tensor>();
        foreach (var (key, value) in tensors)
        {
            if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string name = prefix is null ? key : key[prefix.Length..];
            if (!ignored.Contains(name)) incoming[name] = value;
        }

        var target = module.state_dict();
        var missing = target.Keys.Where(k => !incoming.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = incoming.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var matched = incoming.Where(kv => target.ContainsKey(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var mismatched = matched.Where(kv => !target[kv.Key].shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{Key(kv.Key)}: {source} has [{string.Join(", ", kv.Value.shape)}], module has [{string.Join(", ", target[kv.Key].shape)}]")
            .ToList();
        var retyped = matched.Where(kv => !Castable(kv.Value.dtype, target[kv.Key].dtype))
            .Select(kv => $"{Key(kv.Key)}: {source} has {kv.Value.dtype}, module has {target[kv.Key].dtype}")
            .ToList();
        var nonFinite = allowNonFinite ? [] : matched.Select(kv => NonFinite(kv.Key, kv.Value)).OfType<string>().ToList();

        var problems = new List<string>(knownProblems ?? []);
        if (strict && missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing.Select(Key)));
        if (strict && unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected.Select(Key)));
        if (mismatched.Count > 0) problems.Add("shape mismatches: " + string.Join("; ", mismatched));
        if (retyped.Count > 0) problems.Add("dtype mismatches (integer and floating-point values are not cast into each other): " + string.Join("; ", retyped));
        if (nonFinite.Count > 0) problems.Add("non-finite weights (pass allowNonFinite: true to load them anyway): " + string.Join("; ", nonFinite));
        if (problems.Count > 0)
            throw new InvalidDataException($"Cannot load {PrintableText.Escape(source)} into {module.GetName()}" + (prefix is null ? "" : $" (prefix '{Key(prefix)}')")
                + ":\n  " + string.Join("\n  ", problems));

        using (no_grad())
        {
            foreach (var (key, value) in matched)
                target[key].copy_(value);
        }
        return (missing, unexpected);
    }

    /// <summary>
    /// Loads a safetensors file or a PyTorch <c>torch.save</c> state dict (<see cref="TensorFile"/>) into
    /// <paramref name="module"/>; see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string?, bool, IEnumerable{string}?, string, IEnumerable{string}?, bool)"/>.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">The safetensors file.</param>
    /// <param name="prefix">A key prefix to select and strip, or null.</param>
    /// <param name="strict">When true, any missing or unexpected key is an error.</param>
    /// <param name="ignoredKeys">Keys that may be present without a place in the module.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are.</param>
    /// <returns>The missing keys and unexpected keys.</returns>
    /// <exception cref="InvalidDataException">The file is not valid safetensors, or its tensors do not fit the module; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) LoadFile(
        nn.Module module, string path, string? prefix = null, bool strict = true, IEnumerable<string>? ignoredKeys = null, bool allowNonFinite = false)
    {
        var tensors = TensorFile.Load(path);
        try
        {
            return Load(module, tensors, prefix, strict, ignoredKeys, path, allowNonFinite: allowNonFinite);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Whether a tensor of dtype <paramref name="from"/> may be copied into one of <paramref name="to"/>.</summary>
    private static bool Castable(ScalarType from, ScalarType to) =>
        from == to || (IsFloatingPoint(from) && IsFloatingPoint(to));

    private static bool IsFloatingPoint(ScalarType dtype) =>
        dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>A description of the NaN and ±∞ values of a floating-point tensor, or null when it has none.</summary>
    private static string? NonFinite(string key, Tensor value)
    {
        if (!IsFloatingPoint(value.dtype)) return null;
        using var scope = NewDisposeScope();
        var bad = isfinite(value).logical_not();
        long count = bad.sum().item<long>();
        if (count == 0) return null;
        long[] first = bad.nonzero()[0].cpu().data<long>().ToArray();
        double example = value.reshape(-1)[bad.reshape(-1).nonzero()[0, 0]].to_type(ScalarType.Float64).item<double>();
        return $"{Key(key)} holds {count} (the first, {example}, at [{string.Join(", ", first)}])";
    }

    private static string Key(string key) => PrintableText.Escape(key);
}
