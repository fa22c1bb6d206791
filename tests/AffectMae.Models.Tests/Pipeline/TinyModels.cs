// Tiny models for the bundle and recognizer tests: an MAE encoder giving 24-d features, the authors' tiny models of the
// parity fixtures (make_authors_fixtures.py §1, 24-d features), and ours at the same width.
using AffectMae.Core.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using AffectMae.Models.Tests.Fixtures;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Pipeline;

internal static class TinyModels
{
    public const int Width = 24;

    /// <summary>Saves an untrained one-block MAE on 32×32 frames giving 24-d features as an encoder bundle.</summary>
    public static string SaveEncoder(string folder)
    {
        manual_seed(1);
        using var mae = new MaeViT(new MaeViTOptions { ImageSize = 32, PatchSize = 16, EmbedDim = Width, Depth = 1, NumHeads = 4, DecoderEmbedDim = 16, DecoderDepth = 1, DecoderNumHeads = 2 });
        EncoderBundle.Save(folder, mae, new NormalizationOptions(), "tiny");
        return folder;
    }

    /// <summary>The authors' tiny model of <paramref name="task"/> with the fixture's weights (running statistics included), in eval mode.</summary>
    public static AuthorsTemporalModel Authors(AffectTask task)
    {
        var model = new AuthorsTemporalModel(AuthorsTemporalModelOptions.Tiny(task));
        AuthorsCheckpoint.Load(model, Fixture.File($"authors_tiny_{PerTaskTemporalModel.KeyOf(task)}.pt"));
        model.eval();
        return model;
    }

    /// <summary>The authors' tiny models of <paramref name="tasks"/>, joined.</summary>
    public static PerTaskTemporalModel AuthorsJoined(AffectTask tasks = AffectTask.All) => new(AffectTasks.Split(tasks).Select(Authors));

    /// <summary>Ours at the fixtures' tiny sizes, reading 24-d features, with seeded random weights, in eval mode.</summary>
    public static AffectSequenceModel Ours(int seed)
    {
        var options = AffectSequenceModelOptions.Tiny16D24;
        options.InputDim = options.Tcn.InputDim = Width;
        manual_seed(seed);
        var model = new AffectSequenceModel(options);
        model.eval();
        return model;
    }

    /// <summary>frames × 24 features uniform in [−3, 3], so that some unclipped valence/arousal outputs leave [−1, 1].</summary>
    public static float[] Features(int frames, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, frames * Width).Select(_ => (float)(3 * (random.NextDouble() * 2 - 1)))];
    }
}
