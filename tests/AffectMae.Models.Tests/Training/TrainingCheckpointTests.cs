using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using AffectMae.Models.IO;
using AffectMae.Models.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainingCheckpointTests : IDisposable
{
    private static readonly OptimizationOptions Options = new() { LearningRate = 1e-2, Epochs = 3, WarmupEpochs = 0 };
    private static readonly TrainingState Previous = new(1, 0, 5, 0.25, 0);
    private static readonly TrainingState Next = new(2, 0, 10, 0.5, 1);
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-ckpt-").FullName;
    private readonly Linear model;
    private readonly AdamW optimizer;

    public TrainingCheckpointTests()
    {
        torch.manual_seed(3);
        model = nn.Linear(2, 1);
        optimizer = Trainer.CreateAdamW(model.parameters(), Options);
    }

    private string Last => Path.Combine(folder, "last");

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private void Saved(string directory, TrainingState state) => TrainingCheckpoint.Save(directory, model, optimizer, state);

    private InvalidDataException Damaged(string file)
    {
        TrainingCheckpoint.Exists(Last).Should().BeTrue("a damaged checkpoint is still a checkpoint, not a fresh start");
        var error = FluentActions.Invoking(() => TrainingCheckpoint.Load(Last, model, optimizer)).Should().Throw<InvalidDataException>().Which;
        error.Message.Should().Contain(Path.Combine(Last, file)).And.EndWith($"Restore '{Last}' from a copy, or delete it to start that run over.");
        return error;
    }

    [Fact]
    public void A_state_file_of_empty_braces_is_an_error_naming_the_missing_field()
    {
        Saved(Last, Previous);
        File.WriteAllText(Path.Combine(Last, "state.json"), "{}");

        Damaged("state.json").Message.Should().StartWith(
            $"{Path.Combine(Last, "state.json")} is corrupt: the field 'Epoch' is missing; a training state has Epoch, StepInEpoch, GlobalStep, BestScore, BestEpoch.");
    }

    [Fact]
    public void A_state_file_that_is_a_folder_is_an_error_naming_it()
    {
        Saved(Last, Previous);
        string state = Path.Combine(Last, "state.json");
        File.Delete(state);
        Directory.CreateDirectory(state);

        Damaged("state.json").Message.Should().StartWith($"Checkpoint file '{state}' is a folder, not a regular file");
    }

    [Fact]
    public void A_missing_random_generator_file_is_an_error_naming_it()
    {
        Saved(Last, Previous);
        File.Delete(Path.Combine(Last, "rng.safetensors"));

        Damaged("rng.safetensors").Message.Should().StartWith($"{Path.Combine(Last, "rng.safetensors")} is missing: the checkpoint is incomplete.");
    }

    [Fact]
    public void A_random_generator_file_without_its_cpu_state_is_an_error_naming_the_key()
    {
        Saved(Last, Previous);
        using var state = torch.get_rng_state();
        SafeTensors.Save(Path.Combine(Last, "rng.safetensors"), new Dictionary<string, Tensor> { ["cuda"] = state });

        Damaged("rng.safetensors").Message.Should().StartWith($"{Path.Combine(Last, "rng.safetensors")} has no 'cpu' tensor");
    }

    [Fact]
    public void A_truncated_optimizer_file_is_an_error_naming_it()
    {
        Saved(Last, Previous);
        string path = Path.Combine(Last, "optimizer.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);

        Damaged("optimizer.bin").Message.Should().StartWith($"{path} does not fit this optimiser");
    }

    [Fact]
    public void A_state_that_contradicts_itself_is_an_error()
    {
        // 6 steps into the epoch cannot be more than the 5 steps taken since the start.
        Saved(Last, Previous);
        File.WriteAllText(Path.Combine(Last, "state.json"), """{"Epoch":1,"StepInEpoch":6,"GlobalStep":5,"BestScore":0.25,"BestEpoch":0}""");

        Damaged("state.json").Message.Should().Contain("'StepInEpoch' (6) exceeds 'GlobalStep' (5).");
    }

    public enum CrashPoint { WhileWriting, AfterWriting, AfterRetiringTheOld, AfterRenamingTheNew }

    [Theory]
    [InlineData(CrashPoint.WhileWriting, false)]
    [InlineData(CrashPoint.AfterWriting, false)]
    [InlineData(CrashPoint.AfterRetiringTheOld, true)]
    [InlineData(CrashPoint.AfterRenamingTheNew, true)]
    public void A_save_killed_at_any_point_leaves_the_previous_or_the_new_checkpoint(CrashPoint crash, bool newOne)
    {
        // The folders a kill leaves at each point of Save (see TrainingCheckpoint's remarks): the new checkpoint is
        // written in full into .last.<id>.tmp, the old one renamed to .last.<id>.tmp.old, the new one renamed to last.
        Saved(Last, Previous);
        string written = Path.Combine(folder, $".last.{Guid.NewGuid():N}.tmp"), retired = written + ".old";
        Saved(Path.Combine(folder, "new"), Next);
        Directory.Move(Path.Combine(folder, "new"), written);
        switch (crash)
        {
            case CrashPoint.WhileWriting:
                File.Delete(Path.Combine(written, "state.json"));
                File.Delete(Path.Combine(written, "rng.safetensors"));
                break;
            case CrashPoint.AfterRetiringTheOld:
                Directory.Move(Last, retired);
                break;
            case CrashPoint.AfterRenamingTheNew:
                Directory.Move(Last, retired);
                Directory.Move(written, Last);
                break;
        }

        TrainingCheckpoint.Exists(Last).Should().BeTrue();
        TrainingCheckpoint.Load(Last, model, optimizer).Should().Be(newOne ? Next : Previous);
        Directory.GetFileSystemEntries(folder).Should().Equal([Last], "what the interrupted save left is cleaned up");
    }

    [Fact]
    public void A_first_save_killed_while_writing_leaves_no_checkpoint()
    {
        string written = Path.Combine(folder, $".last.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(written);
        File.WriteAllText(Path.Combine(written, "optimizer.bin"), "partial");

        TrainingCheckpoint.Exists(Last).Should().BeFalse();
        Directory.GetFileSystemEntries(folder).Should().BeEmpty();
    }

    [Fact]
    public void A_save_over_an_existing_checkpoint_replaces_it_and_leaves_nothing_else()
    {
        Saved(Last, Previous);
        Saved(Last, Next);

        TrainingCheckpoint.ReadState(Last).Should().Be(Next);
        Directory.GetFileSystemEntries(folder).Should().Equal([Last]);
    }

    [Fact]
    public void Mutated_state_files_load_as_written_or_fail_naming_the_file()
    {
        // Seeded fuzzing of state.json against an independent reading of the documented format (five fields, types,
        // ranges, both-or-neither best fields, steps within the global count).
        using var scratch = new ScratchFolder("affectmae-state-fuzz-");
        string last = Path.Combine(scratch.Path, "last"), path = Path.Combine(last, "state.json");
        Saved(last, Previous);
        string[] seeds =
        [
            JsonSerializer.Serialize(new TrainingState(3, 2, 17, 0.125, 1), new JsonSerializerOptions { WriteIndented = true }),
            JsonSerializer.Serialize(TrainingState.Start),
            "\uFEFF{ \"BestEpoch\": null, \"BestScore\": null, \"GlobalStep\": 9007199254740993, \"StepInEpoch\": 40, \"Epoch\": 7 }",
        ];
        Fuzz.Run([.. seeds.Select(Encoding.UTF8.GetBytes)], "0123456789.-eE,:{}\" null"u8.ToArray(), 31, 3000, path, bytes =>
        {
            var expected = ReferenceState(bytes);
            try
            {
                var state = TrainingCheckpoint.ReadState(last);
                return new(true, Same(state, expected) ? null : $"read {state}, the reference {expected?.ToString() ?? "rejects it"}");
            }
            catch (InvalidDataException e)
            {
                return new(false, expected is not null ? $"threw {e.Message}, the reference reads {expected}"
                    : e.Message.StartsWith($"{path} is corrupt: ", StringComparison.Ordinal) ? null : $"threw without naming the file: {e.Message}");
            }
            catch (Exception e)
            {
                return new(false, $"threw {e}");
            }
        });
    }

    private static bool Same(TrainingState state, TrainingState? expected) =>
        expected is not null && state with { History = null } == expected with { History = null }
        && (state.History ?? []).SequenceEqual(expected.History ?? []);

    /// <summary>The documented state.json format, read independently of TrainingCheckpoint.</summary>
    private static TrainingState? ReferenceState(byte[] bytes)
    {
        int skip = bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            new UTF8Encoding(false, true).GetString(bytes, skip, bytes.Length - skip);
            if (JsonNode.Parse(bytes.AsSpan(skip), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) is not JsonObject root
                || root.Count - (root.ContainsKey("History") ? 1 : 0) != 5
                || root.Any(kv => kv.Key is not ("Epoch" or "StepInEpoch" or "GlobalStep" or "BestScore" or "BestEpoch" or "History")))
                return null;
            static long? Whole(JsonNode? node, long max) =>
                node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long v) && v >= 0 && v <= max ? v : null;
            if (Whole(root["Epoch"], int.MaxValue) is not long epoch || Whole(root["StepInEpoch"], int.MaxValue) is not long step
                || Whole(root["GlobalStep"], long.MaxValue) is not long global || step > global)
                return null;
            List<EpochRecord>? history = null;
            if (root["History"] is JsonNode records)   // absent or null: no history; else a list of records of finished epochs
            {
                history = records is JsonArray ? records.Deserialize<List<EpochRecord>>(new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }) : null;
                if (history is null || history.Any(r => r is null || r.Epoch < 0 || r.Epoch >= epoch)) return null;
            }
            JsonNode? score = root["BestScore"], bestEpoch = root["BestEpoch"];
            if (score is null && bestEpoch is null) return new TrainingState((int)epoch, (int)step, global, History: history);
            if (score is not JsonValue scoreValue || scoreValue.GetValueKind() != JsonValueKind.Number || !scoreValue.TryGetValue(out double best)
                || !double.IsFinite(best) || Whole(bestEpoch, int.MaxValue) is not long bestAt)
                return null;
            return new TrainingState((int)epoch, (int)step, global, best, (int)bestAt, history);
        }
        catch (Exception e) when (e is DecoderFallbackException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
