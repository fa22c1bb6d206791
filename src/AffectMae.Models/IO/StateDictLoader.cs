using static TorchSharp.torch;

namespace AffectMae.Models.IO;

/// <summary>
/// Copies named tensors into a module's parameters and buffers, reporting every missing key, unexpected key and
/// shape mismatch together in one exception instead of stopping at the first.
/// </summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads <paramref name="tensors"/> into <paramref name="module"/>. With a <paramref name="prefix"/>, only keys
    /// that start with it are used, with the prefix removed (e.g. <c>"encoder."</c>).
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="tensors">Tensors by state-dict key.</param>
    /// <param name="prefix">A key prefix to select and strip, or null.</param>
    /// <param name="strict">When true, any missing or unexpected key is an error; shape mismatches always are.</param>
    /// <param name="ignoredKeys">Keys (after the prefix is removed) that may be present without a place in the module.</param>
    /// <param name="source">What the tensors came from (a file name), for messages.</param>
    /// <param name="knownProblems">Problems found before loading (e.g. while translating a checkpoint's keys), reported
    /// in the same exception as the key and shape problems.</param>
    /// <returns>The missing keys and unexpected keys (empty when strict).</returns>
    /// <exception cref="InvalidDataException">Keys or shapes do not match; the message lists them all.</exception>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) Load(
        nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string? prefix = null, bool strict = true,
        IEnumerable<string>? ignoredKeys = null, string source = "state dict", IEnumerable<string>? knownProblems = null)
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
        var mismatched = incoming.Where(kv => target.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: {source} has [{string.Join(", ", kv.Value.shape)}], module has [{string.Join(", ", target[kv.Key].shape)}]")
            .ToList();

        var problems = new List<string>(knownProblems ?? []);
        if (strict && missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
        if (strict && unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
        if (mismatched.Count > 0) problems.Add("shape mismatches: " + string.Join("; ", mismatched));
        if (problems.Count > 0)
            throw new InvalidDataException($"Cannot load {source} into {module.GetName()}" + (prefix is null ? "" : $" (prefix '{prefix}')")
                + ":\n  " + string.Join("\n  ", problems));

        using (no_grad())
        {
            foreach (var (key, value) in incoming)
                if (target.TryGetValue(key, out var destination))
                    destination.copy_(value);
        }
        return (missing, unexpected);
    }

    /// <summary>
    /// Loads a safetensors file or a PyTorch <c>torch.save</c> state dict (<see cref="TensorFile"/>) into
    /// <paramref name="module"/>; see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string?, bool, IEnumerable{string}?, string, IEnumerable{string}?)"/>.
    /// </summary>
    public static (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) LoadFile(
        nn.Module module, string path, string? prefix = null, bool strict = true, IEnumerable<string>? ignoredKeys = null)
    {
        var tensors = TensorFile.Load(path);
        try
        {
            return Load(module, tensors, prefix, strict, ignoredKeys, path);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
