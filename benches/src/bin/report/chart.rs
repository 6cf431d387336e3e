//! The charts: grouped horizontal bars, one group per row (a workload), one
//! bar per series (an implementation), each bar with its min–max whisker and
//! its median written after it. The SVG and the PNG come from the same
//! drawing code; text is measured (and, in the PNG, drawn) with the DejaVu
//! Sans font that the `dejavu` crate embeds, so no system font is needed.

use std::error::Error;
use std::path::Path;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::summary::Measurement;
use crate::units::{fmt_ns, fmt_tick};

/// The font family every text uses; [`register_fonts`] provides it. The
/// SVG names it as is, so a viewer uses DejaVu Sans (whose metrics laid the
/// chart out) where it has it, and its own sans-serif font elsewhere.
///
/// Every text size below is even: plotters' `ab_glyph` text drawing places
/// each glyph at `size / 2 + top` rounded toward zero, which at odd sizes
/// puts the tall glyphs one pixel lower than the short ones (a period then
/// looks like a raised dot in the PNG).
const FONT: &str = "DejaVu Sans, sans-serif";

const WIDTH: u32 = 1280;
const MARGIN: u32 = 24;
/// Title, subtitle and a one-line legend; [`LEGEND_LINE`] more for each
/// further legend line.
const HEADER: u32 = 132;
/// Height of one legend line.
const LEGEND_LINE: u32 = 30;
/// The title's font size, and the smallest it shrinks to when too wide.
const TITLE_SIZE: u32 = 28;
const TITLE_MIN_SIZE: u32 = 18;
const FOOTER: u32 = 40;
const X_AXIS: u32 = 64;
/// Height of one bar's slot, and the padding above and below a row.
const BAR: u32 = 20;
const ROW_PAD: u32 = 9;

const TEXT: RGBColor = RGBColor(20, 20, 20);
const GREY_TEXT: RGBColor = RGBColor(90, 90, 90);

/// Makes DejaVu Sans (regular and bold) the charts' font.
pub(crate) fn register_fonts() -> Result<(), Box<dyn Error>> {
    plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
        .map_err(|_| "cannot load the embedded DejaVu Sans font")?;
    plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold())
        .map_err(|_| "cannot load the embedded DejaVu Sans Bold font")?;
    Ok(())
}

/// One series: a bar in every row.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    /// Legend text.
    pub(crate) label: String,
    /// Bar colour.
    pub(crate) color: RGBColor,
}

/// One bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    /// Measured: a bar.
    Value(Measurement),
    /// Should have been measured but was not: `n/a`.
    Missing,
    /// Does not apply to this row: an empty slot.
    Absent,
}

impl Cell {
    /// A measurement if there is one, else [`Cell::Missing`].
    pub(crate) fn or_missing(m: Option<Measurement>) -> Self {
        m.map_or(Cell::Missing, Cell::Value)
    }

    fn value(self) -> Option<Measurement> {
        match self {
            Cell::Value(m) => Some(m),
            Cell::Missing | Cell::Absent => None,
        }
    }
}

/// One row: a group of bars, one per series.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Row label, left of the bars.
    pub(crate) label: String,
    /// One per series.
    pub(crate) values: Vec<Cell>,
}

/// The time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// Logarithmic, whole decades: for rows that span orders of magnitude.
    Log,
    /// Linear from zero.
    Linear,
}

/// A chart, ready to draw.
#[derive(Debug, Clone)]
pub(crate) struct BarChart {
    /// First line of the header.
    pub(crate) title: String,
    /// Second line of the header.
    pub(crate) subtitle: String,
    /// Small print at the bottom.
    pub(crate) footer: String,
    /// The x axis description.
    pub(crate) x_desc: String,
    /// The series, in bar order (top to bottom within a row).
    pub(crate) series: Vec<Series>,
    /// The rows, top to bottom.
    pub(crate) rows: Vec<Row>,
    /// The time axis.
    pub(crate) scale: Scale,
}

impl BarChart {
    /// Drops the series that have no value in any row (e.g. Go, when it
    /// did not run), so that they take no room and no legend entry.
    fn without_empty_series(&self) -> Self {
        let keep: Vec<usize> = (0..self.series.len())
            .filter(|&s| {
                self.rows
                    .iter()
                    .any(|r| r.values.get(s).and_then(|c| c.value()).is_some())
            })
            .collect();
        Self {
            series: keep.iter().map(|&s| self.series[s].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| Row {
                    label: r.label.clone(),
                    values: keep
                        .iter()
                        .map(|&s| r.values.get(s).copied().unwrap_or(Cell::Absent))
                        .collect(),
                })
                .collect(),
            ..self.clone()
        }
    }

    /// Where each series' legend entry goes, as `(x, line)`: entries left
    /// to right, wrapping onto a new line when the next one would pass the
    /// right margin.
    fn legend_layout(&self) -> Vec<(i32, u32)> {
        let style = (FONT, 18).into_font();
        let right = (WIDTH - MARGIN) as i32;
        let (mut x, mut line) = (MARGIN as i32, 0);
        let mut out = Vec::with_capacity(self.series.len());
        for s in &self.series {
            // Fallback when the font cannot measure: a generous 11 px a char.
            let w = style
                .box_size(&s.label)
                .map_or(s.label.chars().count() as i32 * 11, |(w, _)| w as i32);
            if x > MARGIN as i32 && x + 26 + w > right {
                x = MARGIN as i32;
                line += 1;
            }
            out.push((x, line));
            x += 26 + w + 36;
        }
        out
    }

    /// The header's height: [`HEADER`] plus the legend's extra lines.
    fn header(&self) -> u32 {
        let lines = self.legend_layout().last().map_or(0, |&(_, line)| line);
        HEADER + lines * LEGEND_LINE
    }

    /// The largest even title size, from [`TITLE_SIZE`] down to
    /// [`TITLE_MIN_SIZE`], at which the title fits between the margins.
    fn title_size(&self) -> u32 {
        let fits = |size: u32| {
            (FONT, size)
                .into_font()
                .style(FontStyle::Bold)
                .box_size(&self.title)
                .is_ok_and(|(w, _)| w <= WIDTH - 2 * MARGIN)
        };
        (TITLE_MIN_SIZE..=TITLE_SIZE)
            .rev()
            .step_by(2)
            .find(|&size| fits(size))
            .unwrap_or(TITLE_MIN_SIZE)
    }

    fn row_height(&self) -> u32 {
        self.series.len().max(1) as u32 * BAR + 2 * ROW_PAD
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.rows.len().max(1) as u32;
        (
            WIDTH,
            self.header() + rows * self.row_height() + X_AXIS + FOOTER + 8,
        )
    }

    /// The x axis range: whole decades around every value (log), or zero
    /// to a round number (linear), with room right of the longest bar for
    /// its label.
    fn x_range(&self) -> (f64, f64) {
        let values: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|r| r.values.iter().filter_map(|c| c.value()))
            .flat_map(|m| [m.median, m.min, m.max])
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        if values.is_empty() {
            return match self.scale {
                Scale::Log => (1.0, 1000.0),
                Scale::Linear => (0.0, 1.0),
            };
        }
        match self.scale {
            Scale::Log => {
                // A hair below the decade, so that its tick is not lost to rounding.
                let lo = 10f64.powf(lo.log10().floor()) * (1.0 - 1e-9);
                // At least 0.8 of a decade (×6) right of the longest whisker, for its label.
                let hi = 10f64.powf((hi * 6.0).log10().ceil());
                (lo, hi)
            }
            Scale::Linear => (0.0, nice_ceiling(hi * 1.15)),
        }
    }

    /// Writes `<stem>.svg` and `<stem>.png` into `dir`.
    pub(crate) fn render(&self, dir: &Path, stem: &str) -> Result<(), Box<dyn Error>> {
        let chart = self.without_empty_series();
        let size = chart.size();
        let svg = dir.join(format!("{stem}.svg"));
        chart.draw(SVGBackend::new(&svg, size).into_drawing_area())?;
        let png = dir.join(format!("{stem}.png"));
        chart.draw(BitMapBackend::new(&png, size).into_drawing_area())?;
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), Box<dyn Error>>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let (_, height) = root.dim_in_pixel();
        let left = MARGIN as i32;
        root.draw(&Text::new(
            self.title.clone(),
            (left, 16),
            (FONT, self.title_size())
                .into_font()
                .style(FontStyle::Bold)
                .color(&TEXT),
        ))?;
        root.draw(&Text::new(
            self.subtitle.clone(),
            (left, 56),
            (FONT, 16).into_font().color(&GREY_TEXT),
        ))?;
        // The legend, wrapped onto as many lines as it needs.
        let legend_style = (FONT, 18)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (s, (x, line)) in self.series.iter().zip(self.legend_layout()) {
            let y = 104 + (line * LEGEND_LINE) as i32;
            root.draw(&Rectangle::new(
                [(x, y - 9), (x + 18, y + 9)],
                s.color.filled(),
            ))?;
            root.draw(&Text::new(
                s.label.clone(),
                (x + 26, y),
                legend_style.clone(),
            ))?;
        }
        root.draw(&Text::new(
            self.footer.clone(),
            (left, height as i32 - FOOTER as i32 + 8),
            (FONT, 14).into_font().color(&GREY_TEXT),
        ))?;

        let label_style = (FONT, 18).into_font().color(&TEXT);
        let mut label_width = 0;
        for r in &self.rows {
            label_width = label_width.max(root.estimate_text_size(&r.label, &label_style)?.0);
        }
        let body = root.margin(self.header(), FOOTER, MARGIN, MARGIN);
        let (lo, hi) = self.x_range();
        match self.scale {
            Scale::Log => self.plot(
                &root,
                &body,
                (lo..hi).log_scale(),
                (lo, hi),
                label_width + 20,
            ),
            Scale::Linear => self.plot(&root, &body, lo..hi, (lo, hi), label_width + 20),
        }?;
        root.present()?;
        Ok(())
    }

    /// The axes, the bars, the whiskers and the labels. Text is drawn on
    /// `root` at the pixel positions the chart's coordinates map to.
    fn plot<DB, X>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: &DrawingArea<DB, Shift>,
        x_spec: X,
        (lo, hi): (f64, f64),
        label_area: u32,
    ) -> Result<(), Box<dyn Error>>
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let n = self.rows.len() as f64;
        let mut cc = ChartBuilder::on(body)
            .x_label_area_size(X_AXIS)
            .y_label_area_size(label_area)
            .build_cartesian_2d(x_spec, 0.0..n)?;

        // Every other row shaded, below the grid.
        cc.draw_series((0..self.rows.len()).filter(|i| i % 2 == 0).map(|i| {
            let top = n - i as f64;
            Rectangle::new(
                [(lo, top - 1.0), (hi, top)],
                RGBColor(244, 246, 249).filled(),
            )
        }))?;
        cc.configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .x_label_formatter(&|v| fmt_tick(*v))
            .x_desc(self.x_desc.clone())
            .label_style((FONT, 16).into_font().color(&TEXT))
            .axis_desc_style((FONT, 18).into_font().color(&TEXT))
            .bold_line_style(RGBColor(200, 200, 200))
            .light_line_style(RGBColor(232, 232, 232))
            .draw()?;

        let k = self.series.len().max(1) as f64;
        let row_px = f64::from(self.row_height());
        let pad = f64::from(ROW_PAD) / row_px;
        let slot = (1.0 - 2.0 * pad) / k;
        let value_style = (FONT, 16)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let na_style = (FONT, 16)
            .into_font()
            .color(&GREY_TEXT)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (s, series) in self.series.iter().enumerate() {
            let mut bars = Vec::new();
            let mut whiskers = Vec::new();
            for (i, row) in self.rows.iter().enumerate() {
                let top = n - i as f64 - pad - s as f64 * slot;
                let bottom = top - slot * 0.8;
                let mid = (top + bottom) / 2.0;
                let m = match row.values.get(s).copied().unwrap_or(Cell::Absent) {
                    Cell::Value(m) => m,
                    Cell::Missing => {
                        let (px, py) = cc.backend_coord(&(lo, mid));
                        root.draw(&Text::new("n/a", (px + 6, py), na_style.clone()))?;
                        continue;
                    }
                    Cell::Absent => continue,
                };
                bars.push(Rectangle::new(
                    [(lo, bottom), (m.median.max(lo), top)],
                    series.color.filled(),
                ));
                let cap = slot * 0.22;
                let ink = BLACK.mix(0.75).stroke_width(1);
                whiskers.push(PathElement::new(vec![(m.min, mid), (m.max, mid)], ink));
                whiskers.push(PathElement::new(
                    vec![(m.min, mid - cap), (m.min, mid + cap)],
                    ink,
                ));
                whiskers.push(PathElement::new(
                    vec![(m.max, mid - cap), (m.max, mid + cap)],
                    ink,
                ));
                let (px, py) = cc.backend_coord(&(m.max.max(m.median), mid));
                root.draw(&Text::new(
                    fmt_ns(m.median),
                    (px + 6, py),
                    value_style.clone(),
                ))?;
            }
            cc.draw_series(bars)?;
            cc.draw_series(whiskers)?;
        }

        let row_label = (FONT, 18)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, row) in self.rows.iter().enumerate() {
            let (px, py) = cc.backend_coord(&(lo, n - i as f64 - 0.5));
            root.draw(&Text::new(
                row.label.clone(),
                (px - 12, py),
                row_label.clone(),
            ))?;
        }
        Ok(())
    }
}

/// The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let decade = 10f64.powf(x.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * decade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_ceiling(38.0), 40.0);
        assert_eq!(nice_ceiling(50.0), 50.0);
        assert_eq!(nice_ceiling(0.31), 0.4);
        assert_eq!(nice_ceiling(101.0), 150.0);
        assert_eq!(nice_ceiling(45.9), 50.0);
    }

    #[test]
    fn ranges_and_empty_series() {
        let m = |v: f64| {
            Cell::Value(Measurement {
                median: v,
                min: v * 0.9,
                max: v * 1.1,
                samples: 3,
            })
        };
        let chart = BarChart {
            title: String::new(),
            subtitle: String::new(),
            footer: String::new(),
            x_desc: String::new(),
            series: ["a", "b", "c"]
                .map(|l| Series {
                    label: l.to_string(),
                    color: BLACK,
                })
                .to_vec(),
            rows: vec![
                Row {
                    label: "x".into(),
                    values: vec![m(0.28), Cell::Missing, m(10.0)],
                },
                Row {
                    label: "y".into(),
                    values: vec![m(40_000.0), Cell::Absent, Cell::Missing],
                },
            ],
            scale: Scale::Log,
        };
        let (lo, hi) = chart.x_range();
        assert!((lo - 0.1).abs() < 1e-9, "{lo}");
        assert!((hi - 1e6).abs() < 1e-6, "{hi}");
        let trimmed = chart.without_empty_series();
        assert_eq!(trimmed.series.len(), 2);
        assert_eq!(trimmed.rows[0].values, vec![m(0.28), m(10.0)]);
        assert_eq!(trimmed.rows[1].values, vec![m(40_000.0), Cell::Missing]);
    }
}
