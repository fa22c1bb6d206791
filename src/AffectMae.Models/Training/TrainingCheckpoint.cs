using System.Text.Json;
using AffectMae.Models.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Training;

/// <summary>
/// A resumable checkpoint: one folder holding the model weights (<c>model.safetensors</c>), the optimiser state
/// (<c>optimizer.bin</c>, TorchSharp's format), the CPU random generator state (<c>rng.safetensors</c>) and the
/// <see cref="TrainingState"/> (<c>state.json</c>). The folder is written under a temporary name and renamed, so a
/// run that dies while saving leaves the previous checkpoint intact.
/// </summary>
public static class TrainingCheckpoint
{
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string RngFile = "rng.safetensors";
    private const string StateFile = "state.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Saves a checkpoint as <paramref name="directory"/>, replacing any checkpoint already there.</summary>
    public static void Save(string directory, nn.Module model, OptimizerHelper optimizer, TrainingState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        string target = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        string retired = temporary + ".old";
        Directory.CreateDirectory(temporary);
        try
        {
            SafeTensors.Save(Path.Combine(temporary, ModelFile), model.state_dict());
            using (var stream = File.Create(Path.Combine(temporary, OptimizerFile)))
            using (var writer = new BinaryWriter(stream))
                optimizer.save_state_dict(writer);
            using (var rng = torch.get_rng_state())
                SafeTensors.Save(Path.Combine(temporary, RngFile), new Dictionary<string, Tensor> { ["cpu"] = rng });
            File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));

            if (Directory.Exists(target)) Directory.Move(target, retired);
            Directory.Move(temporary, target);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
        }
    }

    /// <summary>Loads only the model weights of a checkpoint into <paramref name="model"/> (built as when saved).</summary>
    /// <param name="directory">The checkpoint, e.g. <see cref="CheckpointPolicy.Best"/>.</param>
    /// <param name="model">The model to fill.</param>
    /// <exception cref="InvalidDataException">The weights are missing or do not fit the model; the message names the file.</exception>
    public static void LoadWeights(string directory, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string path = Path.Combine(directory, ModelFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path} is missing: {directory} is not a complete checkpoint.");
        StateDictLoader.LoadFile(model, path);
    }

    /// <summary>Whether <paramref name="directory"/> holds a complete checkpoint.</summary>
    public static bool Exists(string directory) =>
        new[] { ModelFile, OptimizerFile, RngFile, StateFile }.All(f => File.Exists(Path.Combine(directory, f)));

    /// <summary>Reads only the <see cref="TrainingState"/> of a checkpoint.</summary>
    /// <exception cref="InvalidDataException"><c>state.json</c> is missing or corrupt; the message names the file.</exception>
    public static TrainingState ReadState(string directory)
    {
        string path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path} is missing: {directory} is not a training checkpoint.");
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} holds no training state.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>
    /// Restores weights, optimiser state and the random generator from a checkpoint; returns its training state.
    /// The model and optimiser must be built as they were when saved.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing or does not fit the model; the message names it.</exception>
    public static TrainingState Load(string directory, nn.Module model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = ReadState(directory);
        foreach (var file in new[] { ModelFile, OptimizerFile, RngFile })
            if (!File.Exists(Path.Combine(directory, file)))
                throw new InvalidDataException($"{Path.Combine(directory, file)} is missing: the checkpoint is incomplete.");

        StateDictLoader.LoadFile(model, Path.Combine(directory, ModelFile));
        string optimizerPath = Path.Combine(directory, OptimizerFile);
        try
        {
            using var stream = File.OpenRead(optimizerPath);
            using var reader = new BinaryReader(stream);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{optimizerPath} does not fit this optimiser: {e.Message}", e);
        }
        var rng = SafeTensors.Load(Path.Combine(directory, RngFile));
        using (var cpu = rng["cpu"]) torch.set_rng_state(cpu);
        return state;
    }
}
