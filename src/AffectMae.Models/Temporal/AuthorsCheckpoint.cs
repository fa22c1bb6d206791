// Reads the checkpoints of the authors' released training code (upczww/abaw6 solver.py: torch.save of an
// nn.DataParallel's state_dict(); no licence: facts only, our own code) into AuthorsTemporalModel.
using System.Text.RegularExpressions;
using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>
/// Loads the authors' checkpoints as their training saved them, as <c>.pt</c>/<c>.pth</c> (<see cref="PyTorchFile"/>)
/// or converted to safetensors with the same keys, into an <see cref="AuthorsTemporalModel"/>.
/// </summary>
/// <remarks>
/// The translation: the <c>module.</c> prefix of <c>nn.DataParallel</c> is removed from every key that has it; every
/// temporal block holds its convolutions and PReLUs twice, by name and inside its <c>net</c> sequence
/// (<c>net.0</c> = <c>conv1</c>, <c>net.2</c> = <c>relu1</c>, <c>net.4</c> = <c>conv2</c>, <c>net.6</c> = <c>relu2</c>),
/// so each <c>net.*</c> key is checked to hold exactly the value of its named twin and then dropped (a file with only
/// the <c>net.*</c> copy is renamed). BatchNorm's int64 <c>num_batches_tracked</c> loads like any buffer. Every
/// problem (an alias that differs, a missing or unexpected key, a shape mismatch) is listed in one
/// <see cref="InvalidDataException"/> that names the file.
/// </remarks>
public static partial class AuthorsCheckpoint
{
    private const string DataParallelPrefix = "module.";

    // The positions of the parameterised modules in a temporal block's net = Sequential(conv1, chomp1, relu1,
    // dropout1, conv2, chomp2, relu2, dropout2).
    private static readonly IReadOnlyDictionary<string, string> NetAliases = new Dictionary<string, string>
    {
        ["0"] = "conv1", ["2"] = "relu1", ["4"] = "conv2", ["6"] = "relu2",
    };

    /// <summary>Loads a released checkpoint file into <paramref name="model"/>; every key must match.</summary>
    /// <param name="model">The model, built with the checkpoint's sizes and task (e.g. <see cref="AuthorsTemporalModelOptions.Released"/>).</param>
    /// <param name="path">A <c>.pt</c>/<c>.pth</c> saved by the authors' code, or a safetensors file with the same keys.</param>
    /// <exception cref="InvalidDataException">The file is damaged, or keys, aliases or shapes do not match; the message lists every problem.</exception>
    /// <exception cref="UnsafePickleException">The PyTorch file names a Python global outside <see cref="PyTorchFile.AllowedGlobals"/>.</exception>
    public static void Load(AuthorsTemporalModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var saved = TensorFile.Load(path);
        try
        {
            Load(model, saved, path);
        }
        finally
        {
            TensorFile.DisposeAll(saved);
        }
    }

    /// <summary>Loads a released state dict (keys as saved) into <paramref name="model"/>; see <see cref="Load(AuthorsTemporalModel, string)"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="saved">Tensors by their saved keys.</param>
    /// <param name="source">Where they came from (a file name), for messages.</param>
    /// <exception cref="InvalidDataException">Keys, aliases or shapes do not match; the message lists every problem.</exception>
    public static void Load(AuthorsTemporalModel model, IReadOnlyDictionary<string, Tensor> saved, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Translate(saved, out var problems);
        StateDictLoader.Load(model, tensors, strict: true, source: source, knownProblems: problems);
    }

    /// <summary>
    /// Our keys for a released state dict: <c>module.</c> removed, <c>net.{0,2,4,6}</c> aliases checked against their
    /// named twins and folded into them.
    /// </summary>
    /// <param name="saved">Tensors by their saved keys.</param>
    /// <param name="problems">Aliases whose value differs from their twin's, one line each.</param>
    /// <returns>The same tensor objects under our keys (not copies).</returns>
    public static Dictionary<string, Tensor> Translate(IReadOnlyDictionary<string, Tensor> saved, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var stripped = saved.ToDictionary(
            kv => kv.Key.StartsWith(DataParallelPrefix, StringComparison.Ordinal) ? kv.Key[DataParallelPrefix.Length..] : kv.Key,
            kv => kv.Value, StringComparer.Ordinal);

        var found = new List<string>();
        var translated = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in stripped.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var alias = NetAlias().Match(key);
            if (!alias.Success || !NetAliases.TryGetValue(alias.Groups["index"].Value, out var named))
            {
                translated.TryAdd(key, value);
                continue;
            }
            string twin = $"{alias.Groups["block"].Value}.{named}.{alias.Groups["rest"].Value}";
            if (!stripped.TryGetValue(twin, out var twinValue))
                translated[twin] = value;                                   // only the net.* copy was saved
            else if (!SameValues(value, twinValue))
                found.Add($"alias {key} differs from {twin} ({Describe(value, twinValue)}): the two keys are one tensor registered twice and must be equal");
        }
        problems = found;
        return translated;
    }

    [GeneratedRegex(@"^(?<block>.+)\.net\.(?<index>\d+)\.(?<rest>[^.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NetAlias();

    private static bool SameValues(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        using var equal = a.eq(b).all();
        return equal.item<bool>();
    }

    private static string Describe(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
            return $"shape [{string.Join(", ", a.shape)}] against [{string.Join(", ", b.shape)}]";
        if (a.dtype != b.dtype)
            return $"dtype {a.dtype} against {b.dtype}";
        using var scope = NewDisposeScope();
        return $"max |Δ| = {(a.to(float64) - b.to(float64)).abs().max().item<double>():G4}";
    }
}
