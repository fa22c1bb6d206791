using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AffectMae.Core.IO;
using AffectMae.Models.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// A resumable checkpoint: one folder holding the model weights (<see cref="ModelFileName"/>), the optimiser state
/// (<see cref="OptimizerFileName"/>, TorchSharp's format), the CPU random generator state (<see cref="RngFileName"/>)
/// and the <see cref="TrainingState"/> (<see cref="StateFileName"/>).
/// </summary>
/// <remarks>
/// <para><b>Saving never leaves the folder missing.</b> <see cref="Save"/> writes every file into
/// <c>.&lt;name&gt;.&lt;id&gt;.tmp</c> next to the checkpoint, then renames the old checkpoint to
/// <c>.&lt;name&gt;.&lt;id&gt;.tmp.old</c>, renames the new one into place, and deletes the old one. A process killed at
/// any instant leaves the old checkpoint in place, or the new one in place, or — between the two renames — both under
/// their temporary names; the next <see cref="Exists"/>, <see cref="ReadState"/>, <see cref="Load"/> or
/// <see cref="Save"/> finishes the interrupted save (the <c>.tmp</c> folder is complete once the <c>.tmp.old</c> folder
/// exists) and removes what is left of one that stopped while writing. One training run per checkpoint folder.</para>
/// <para><b>A damaged checkpoint is an error, never "no checkpoint".</b> A missing or unreadable file, a
/// <c>state.json</c> without every field, a random-generator file without its <c>cpu</c> state: each is an
/// <see cref="InvalidDataException"/> naming the file, so a run never restarts from scratch over a checkpoint it could
/// not read.</para>
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>The model weights, safetensors.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>The optimiser state, TorchSharp's binary format.</summary>
    public const string OptimizerFileName = "optimizer.bin";

    /// <summary>The CPU random generator state, safetensors with one byte tensor <c>cpu</c>.</summary>
    public const string RngFileName = "rng.safetensors";

    /// <summary>The <see cref="TrainingState"/>, JSON.</summary>
    public const string StateFileName = "state.json";

    private const string RngKey = "cpu";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Saves a checkpoint as <paramref name="directory"/>, replacing any checkpoint already there (see the remarks).</summary>
    /// <param name="directory">The checkpoint folder, e.g. <c>runs/temporal/last</c>.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">Its optimiser.</param>
    /// <param name="state">Where the run stands.</param>
    /// <exception cref="ArgumentException"><paramref name="state"/> holds a non-finite best score.</exception>
    public static void Save(string directory, nn.Module model, OptimizerHelper optimizer, TrainingState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        if (state.BestScore is double best && !double.IsFinite(best))
            throw new ArgumentException($"The best score is {best}; only a finite score can be saved.", nameof(state));
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        Recover(target);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        string retired = temporary + ".old";
        Directory.CreateDirectory(temporary);
        try
        {
            SafeTensors.Save(Path.Combine(temporary, ModelFileName), model.state_dict());
            AtomicFile.Write(Path.Combine(temporary, OptimizerFileName), stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
            });
            using (var rng = torch.get_rng_state())
                SafeTensors.Save(Path.Combine(temporary, RngFileName), new Dictionary<string, Tensor> { [RngKey] = rng });
            AtomicFile.Write(Path.Combine(temporary, StateFileName), stream => JsonSerializer.Serialize(stream, state, Json));
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }

        if (Directory.Exists(target)) Directory.Move(target, retired);     // from here until the next rename, Recover finishes the job
        try
        {
            Directory.Move(temporary, target);
        }
        catch
        {
            if (!Directory.Exists(target) && Directory.Exists(retired)) Directory.Move(retired, target);
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw;
        }
        if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
    }

    /// <summary>Loads only the model weights of a checkpoint into <paramref name="model"/> (built as when saved).</summary>
    /// <param name="directory">The checkpoint, e.g. <see cref="CheckpointPolicy.Best"/>.</param>
    /// <param name="model">The model to fill.</param>
    /// <exception cref="InvalidDataException">The weights are missing, damaged or do not fit the model; the message names the file.</exception>
    public static void LoadWeights(string directory, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        StateDictLoader.LoadFile(model, RequireFile(CheckpointFolder(directory), ModelFileName));
    }

    /// <summary>
    /// Whether there is a checkpoint at <paramref name="directory"/> — complete or damaged; <see cref="Load"/> tells
    /// which. Finishes a save that was interrupted first (see the remarks).
    /// </summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns><see langword="true"/> when anything is at <paramref name="directory"/>.</returns>
    public static bool Exists(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Recover(directory);
        return RegularFile.AnythingAt(directory);
    }

    /// <summary>Reads only the <see cref="TrainingState"/> of a checkpoint, finishing an interrupted save first.</summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <returns>The state.</returns>
    /// <exception cref="DirectoryNotFoundException">There is no checkpoint at <paramref name="directory"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// <c>state.json</c> is missing, not a regular file, not UTF-8 JSON, or lacks a field or has one of the wrong type,
    /// range or an unknown one; the message names the file.
    /// </exception>
    public static TrainingState ReadState(string directory)
    {
        string folder = CheckpointFolder(directory);
        string path = RequireFile(folder, StateFileName);
        const long maxStateBytes = 1 << 22;   // five numbers and a line of figures an epoch: kilobytes even after thousands of epochs
        long length = new FileInfo(path).Length;
        if (length > maxStateBytes)
            throw new InvalidDataException($"{PrintableText.Escape(path)} is corrupt: it holds {length} bytes; a training state takes a few kilobytes. {Advice(folder)}");
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return ParseState(bytes);
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or FormatException)
        {
            throw new InvalidDataException($"{PrintableText.Escape(path)} is corrupt: {PrintableText.Escape(e.Message)} {Advice(folder)}", e);
        }
    }

    /// <summary>
    /// Restores weights, optimiser state and the random generator from a checkpoint; returns its training state.
    /// The model and optimiser must be built as they were when saved. The files are checked before anything is
    /// restored, except that a damaged optimiser file may have been read in part when the error is raised.
    /// </summary>
    /// <param name="directory">The checkpoint folder.</param>
    /// <param name="model">The model to fill.</param>
    /// <param name="optimizer">Its optimiser.</param>
    /// <returns>The training state.</returns>
    /// <exception cref="DirectoryNotFoundException">There is no checkpoint at <paramref name="directory"/>.</exception>
    /// <exception cref="InvalidDataException">A file is missing, damaged or does not fit the model; the message names it.</exception>
    public static TrainingState Load(string directory, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = ReadState(directory);
        string folder = CheckpointFolder(directory);
        string modelPath = RequireFile(folder, ModelFileName), optimizerPath = RequireFile(folder, OptimizerFileName), rngPath = RequireFile(folder, RngFileName);

        using var rng = ReadRng(rngPath, folder);
        StateDictLoader.LoadFile(model, modelPath);
        try
        {
            using var stream = RegularFile.OpenRead(optimizerPath, "Optimizer state");
            using var reader = new BinaryReader(stream);
            optimizer.load_state_dict(reader);
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes are left over after the optimiser state.");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException($"{PrintableText.Escape(optimizerPath)} does not fit this optimiser: {PrintableText.Escape(e.Message)} {Advice(folder)}", e);
        }
        torch.set_rng_state(rng);
        return state;
    }

    /// <summary>Reads and checks the random generator state: one byte vector as long as this generator's.</summary>
    private static Tensor ReadRng(string path, string folder)
    {
        var tensors = SafeTensors.Load(path);
        try
        {
            if (!tensors.Remove(RngKey, out var rng))
                throw new InvalidDataException($"{PrintableText.Escape(path)} has no '{RngKey}' tensor (the CPU random generator state). {Advice(folder)}");
            using var current = torch.get_rng_state();
            if (rng.dtype != ScalarType.Byte || !rng.shape.SequenceEqual(current.shape))
            {
                string found = $"{rng.dtype} [{string.Join(", ", rng.shape)}]";
                rng.Dispose();
                throw new InvalidDataException($"{PrintableText.Escape(path)}: '{RngKey}' is {found}; this generator's state is Byte [{current.shape[0]}]. {Advice(folder)}");
            }
            return rng;
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Parses state.json strictly: an object with exactly the five fields, each of the right type and range, the best
    /// score and epoch both set or both null, and no more steps in the epoch than in all.
    /// </summary>
    private static TrainingState ParseState(byte[] bytes)
    {
        var json = bytes.AsMemory();
        if (json.Span.StartsWith((byte[])[0xEF, 0xBB, 0xBF])) json = json[3..];   // a byte-order mark an editor may add
        StrictUtf8.GetCharCount(json.Span);   // DecoderFallbackException on invalid UTF-8
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException($"the root is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object.");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string[] names = [nameof(TrainingState.Epoch), nameof(TrainingState.StepInEpoch), nameof(TrainingState.GlobalStep), nameof(TrainingState.BestScore), nameof(TrainingState.BestEpoch)];
        const string history = nameof(TrainingState.History);   // optional: states written before it existed lack it
        foreach (var property in root.EnumerateObject())
        {
            string name = property.Name;
            if (!names.Contains(name) && name != history)
                throw new FormatException($"unknown field {PrintableText.Quote(name)}; a training state has {string.Join(", ", names)} and {history}.");
            if (!fields.TryAdd(name, property.Value))
                throw new FormatException($"the field '{name}' appears twice.");
        }
        if (names.FirstOrDefault(name => !fields.ContainsKey(name)) is { } missing)
            throw new FormatException($"the field '{missing}' is missing; a training state has {string.Join(", ", names)}.");

        long Whole(string name, long max)
        {
            var value = fields[name];
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long whole) || whole < 0 || whole > max)
                throw new FormatException($"'{name}' is {PrintableText.Quote(value.GetRawText())}; expected a whole number from 0 to {max}.");
            return whole;
        }
        int epoch = (int)Whole(names[0], int.MaxValue), step = (int)Whole(names[1], int.MaxValue);
        long globalStep = Whole(names[2], long.MaxValue);
        bool hasBest = fields[names[3]].ValueKind != JsonValueKind.Null, hasBestEpoch = fields[names[4]].ValueKind != JsonValueKind.Null;
        if (hasBest != hasBestEpoch)
            throw new FormatException($"'{names[3]}' and '{names[4]}' must both be null or both be set.");
        double? bestScore = null;
        int? bestEpoch = null;
        if (hasBest)
        {
            var score = fields[names[3]];
            if (score.ValueKind != JsonValueKind.Number || !score.TryGetDouble(out double value) || !double.IsFinite(value))
                throw new FormatException($"'{names[3]}' is {PrintableText.Quote(score.GetRawText())}; expected a finite number or null.");
            bestScore = value;
            bestEpoch = (int)Whole(names[4], int.MaxValue);   // may lie past Epoch: a run restarted over best/ takes its epoch
        }
        if (step > globalStep)
            throw new FormatException($"'{names[1]}' ({step}) exceeds '{names[2]}' ({globalStep}).");
        List<EpochRecord>? records = null;
        if (fields.TryGetValue(history, out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
                throw new FormatException($"'{history}' is a JSON {list.ValueKind.ToString().ToLowerInvariant()}; expected a list of epoch records or null.");
            records = list.Deserialize<List<EpochRecord>>(Json);
            if (records is null || records.Any(r => r is null || r.Epoch < 0 || r.Epoch >= epoch))
                throw new FormatException($"'{history}' holds a record that is empty or of an epoch outside 0 … {epoch - 1}.");
        }
        return new TrainingState(epoch, step, globalStep, bestScore, bestEpoch, records);
    }

    /// <summary>The checkpoint folder after <see cref="Recover"/>.</summary>
    private static string CheckpointFolder(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Recover(directory);
        if (Directory.Exists(directory)) return directory;
        if (File.Exists(directory))
            throw new InvalidDataException($"{PrintableText.Escape(directory)} is a file, not a checkpoint folder. {Advice(directory)}");
        throw new DirectoryNotFoundException($"No checkpoint at '{PrintableText.Escape(directory)}'.");
    }

    /// <summary>The path of one of the checkpoint's files; an error naming it when it is missing or not a regular file.</summary>
    private static string RequireFile(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        try
        {
            RegularFile.ThrowIfNotRegular(path, "Checkpoint file");
        }
        catch (IOException e)
        {
            string problem = e is FileNotFoundException ? $"{PrintableText.Escape(path)} is missing: the checkpoint is incomplete." : e.Message;
            throw new InvalidDataException($"{problem} {Advice(folder)}", e);
        }
        return path;
    }

    private static string Advice(string folder) =>
        $"Restore '{PrintableText.Escape(folder)}' from a copy, or delete it to start that run over.";

    private static readonly Regex Temporary = new(@"^\.(?<name>.+)\.[0-9a-f]{32}\.tmp(?<old>\.old)?$", RegexOptions.CultureInvariant);

    /// <summary>Finishes a save interrupted between its two renames, and removes the folders of one interrupted while writing.</summary>
    private static void Recover(string directory)
    {
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target)!, name = Path.GetFileName(target);
        if (!Directory.Exists(parent)) return;
        var leftovers = Directory.EnumerateDirectories(parent, $".{name}.*")
            .Select(path => (Path: path, Match: Temporary.Match(Path.GetFileName(path))))
            .Where(m => m.Match.Success && m.Match.Groups["name"].Value == name)
            .OrderBy(m => m.Path, StringComparer.Ordinal)
            .ToList();
        foreach (var (retired, _) in leftovers.Where(m => m.Match.Groups["old"].Success))
        {
            string written = retired[..^".old".Length];
            if (!Directory.Exists(target)) Directory.Move(Directory.Exists(written) ? written : retired, target);
            if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
        }
        foreach (var (written, _) in leftovers.Where(m => !m.Match.Groups["old"].Success))
            if (Directory.Exists(written)) Directory.Delete(written, recursive: true);
    }
}
