// A model bundle saved by one process and loaded by a fresh one predicts identically.
using AffectMae.Cli.Synthetic;
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Cli.Tests;

public sealed class PredictProcessTests : IClassFixture<SmallDataSet>
{
    private readonly SmallDataSet data;

    public PredictProcessTests(SmallDataSet data) => this.data = data;

    [Fact]
    public void The_cli_in_a_fresh_process_predicts_bit_for_bit_what_the_recognizer_predicts_here()
    {
        var recipe = TinyRecipe.Create(3);
        var run = new RunFolder(data.NewFolder("predict-run"));
        manual_seed(3);
        using (var classifier = new MaeClassifier(recipe.ClassifierOptions()))
        using (var temporal = new AffectSequenceModel(recipe.SequenceModelFor(TemporalVariant.Full)))
        {
            var encoder = EncoderBundle.Save(run.EncoderModel(EncoderKind.FineTuned), classifier, recipe.Normalization, recipe.Name);
            TemporalBundle.Save(run.TemporalModel(TemporalVariant.Full), temporal, recipe.Segmentation, recipe.Name, encoder.WeightsSha256);
        }
        string video = data.Summary.Videos[0].Name;
        string frames = Path.Combine(data.Root, "cropped_aligned", video);
        string output = data.NewFolder("predict-out");

        var (exit, printed) = CliProcess.Run(TimeSpan.FromMinutes(3), "predict", "--frames", frames, "--output", output, "--work", run.Root);

        exit.Should().Be(ExitCodes.Success, printed);
        using var recognizer = AffectRecognizer.Load(run.EncoderModel(EncoderKind.FineTuned), run.TemporalModel(TemporalVariant.Full),
            options: new AffectRecognizerOptions { BatchSize = AffectMaeRecipe.Demo.Inference.EncoderBatchSize });
        using var expected = new StringWriter();
        AffectCsv.Write(expected, recognizer.PredictFolder(frames).Frames);
        File.ReadAllText(Path.Combine(output, video + ".csv")).Should().Be(expected.ToString());
        File.Exists(Path.Combine(output, "va.txt")).Should().BeTrue("the frames start at 1, so the ABAW files are written too");

        // Another protocol on the command line: the recognizer's with that protocol, and not the bundle's own.
        string other = data.NewFolder("predict-protocol");
        (exit, printed) = CliProcess.Run(TimeSpan.FromMinutes(3), "predict", "--frames", frames, "--output", other, "--work", run.Root, "--protocol", "NonOverlapping");
        exit.Should().Be(ExitCodes.Success, printed);
        var nonOverlapping = new AffectMae.Models.Evaluation.InferenceOptions { Protocol = AffectMae.Core.Segmentation.InferenceProtocol.NonOverlapping };
        using var byProtocol = AffectRecognizer.Load(run.EncoderModel(EncoderKind.FineTuned), run.TemporalModel(TemporalVariant.Full),
            options: new AffectRecognizerOptions { BatchSize = AffectMaeRecipe.Demo.Inference.EncoderBatchSize, Inference = nonOverlapping });
        using var expectedByProtocol = new StringWriter();
        AffectCsv.Write(expectedByProtocol, byProtocol.PredictFolder(frames).Frames);
        File.ReadAllText(Path.Combine(other, video + ".csv")).Should().Be(expectedByProtocol.ToString()).And.NotBe(expected.ToString());
    }
}
