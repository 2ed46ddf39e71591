//! The last verify run's results, kept with the course so the site can show which
//! snippets are proven. (Being written.)
