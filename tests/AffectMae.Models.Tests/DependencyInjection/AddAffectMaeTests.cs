using AffectMae.Core.Segmentation;
using AffectMae.Models.Features;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Tests.DependencyInjection;

public class AddAffectMaeTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddAffectMae(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void Every_options_class_with_a_section_of_core_and_models_is_configured_and_validated()
    {
        var services = new ServiceCollection().AddAffectMae(new ConfigurationBuilder().Build());
        var optionsTypes = new[] { typeof(SegmentationOptions).Assembly, typeof(MaeViTOptions).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.IsAbstract && t.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is { IsLiteral: true })
            .ToList();

        optionsTypes.Should().Contain([typeof(SegmentationOptions), typeof(AuthorsTemporalModelOptions), typeof(BatchNormHeadOptions), typeof(FeatureExtractionOptions)]);
        foreach (var type in optionsTypes)
        {
            services.Should().Contain(d => d.ServiceType == typeof(IConfigureOptions<>).MakeGenericType(type), $"{type.Name} is configured by AddAffectMae");
            services.Should().Contain(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(type), $"{type.Name} is validated by AddAffectMae");
        }
    }

    [Fact]
    public void The_authors_model_options_of_each_task_are_named_after_it()
    {
        using var provider = Build(new() { ["AffectMae:Recipe:AuthorsTemporal:HeadHiddenDim"] = "64" });

        var models = provider.GetRequiredService<IOptionsMonitor<AuthorsTemporalModelOptions>>();
        models.Get("Expression").Head.OutputDim.Should().Be(8);
        models.Get("ActionUnits").Head.OutputDim.Should().Be(12);
        provider.GetRequiredService<IOptionsMonitor<BatchNormHeadOptions>>().Get("ValenceArousal").Should().Match<BatchNormHeadOptions>(h => h.HiddenDim == 64 && h.OutputDim == 2);
    }

    [Fact]
    public void Without_settings_every_option_holds_the_paper_values()
    {
        using var provider = Build([]);

        var segmentation = provider.GetRequiredService<IOptions<SegmentationOptions>>().Value;
        (segmentation.WindowLength, segmentation.Stride).Should().Be((300, 200));
        provider.GetRequiredService<IOptions<MaeViTOptions>>().Value.EmbedDim.Should().Be(768);
        var optimization = provider.GetRequiredService<IOptionsMonitor<OptimizationOptions>>();
        optimization.Get("Pretraining").LearningRate.Should().Be(5e-4);
        optimization.Get("FineTuning").BatchSize.Should().Be(256);
        optimization.Get("Temporal").WeightDecay.Should().Be(1e-5);
        provider.GetRequiredService<IOptions<AffectSequenceModelOptions>>().Value.Transformer.DModel.Should().Be(512);
    }

    [Fact]
    public void Settings_override_only_the_values_they_name()
    {
        using var provider = Build(new()
        {
            ["AffectMae:Recipe:Segmentation:Stride"] = "150",
            ["AffectMae:Recipe:Optimization:Temporal:Epochs"] = "7",
            ["AffectMae:Recipe:Mae:Depth"] = "6",
            ["AffectMae:Recipe:FaceCrop:Margin"] = "0.5",
            ["AffectMae:Recipe:FaceCrop:Border"] = "Replicate",
        });

        provider.GetRequiredService<IOptions<SegmentationOptions>>().Value.Stride.Should().Be(150);
        var temporal = provider.GetRequiredService<IOptionsMonitor<OptimizationOptions>>().Get("Temporal");
        (temporal.Epochs, temporal.LearningRate).Should().Be((7, 3e-5));
        provider.GetRequiredService<IOptionsMonitor<OptimizationOptions>>().Get("Pretraining").Epochs.Should().Be(500);
        provider.GetRequiredService<IOptions<MaeViTOptions>>().Value.Depth.Should().Be(6);
        var crop = provider.GetRequiredService<IOptions<AffectMae.Core.Data.FaceCropOptions>>().Value;
        (crop.Margin, crop.Border, crop.OutputSize).Should().Be((0.5, AffectMae.Core.Data.CropBorder.Replicate, 112));
    }

    [Fact]
    public void A_bad_setting_fails_start_up_validation_with_a_message_naming_it()
    {
        using var provider = Build(new() { ["AffectMae:Recipe:Segmentation:Stride"] = "400" });   // longer than the 300-frame window

        var start = () => provider.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Stride (400) must not exceed WindowLength (300)*");
    }

    [Fact]
    public void A_bad_named_optimisation_setting_is_reported_for_that_stage_only()
    {
        using var provider = Build(new() { ["AffectMae:Recipe:Optimization:FineTuning:LearningRate"] = "-1" });
        var monitor = provider.GetRequiredService<IOptionsMonitor<OptimizationOptions>>();

        monitor.Get("Pretraining").LearningRate.Should().Be(5e-4);
        var fineTuning = () => monitor.Get("FineTuning");
        fineTuning.Should().Throw<OptionsValidationException>().WithMessage("*LearningRate must be positive*It is -1*");
    }

    [Fact]
    public void Extraction_settings_bind_from_their_section_and_a_bad_one_fails_start_up()
    {
        using var provider = Build(new() { ["AffectMae:Extraction:BadFrames"] = "Skip", ["AffectMae:Extraction:StaleClaimAge"] = "00:02:00" });
        using var bad = Build(new() { ["AffectMae:Extraction:MaxFilledFraction"] = "1.5" });

        var extraction = provider.GetRequiredService<IOptions<FeatureExtractionOptions>>().Value;
        (extraction.BadFrames, extraction.StaleClaimAge, extraction.MaxFilledFraction).Should().Be((BadFramePolicy.Skip, TimeSpan.FromMinutes(2), 0.5));
        var start = () => bad.GetRequiredService<IStartupValidator>().Validate();
        start.Should().Throw<OptionsValidationException>().WithMessage("*MaxFilledFraction must lie in 0 … 1*");
    }
}
