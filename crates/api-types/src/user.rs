//! `Userid` (`name@realm`) and `Authid` (a user or one of its API tokens,
//! `name@realm!token`).

use crate::macros::serde_via_string;
use crate::names::{is_realm_id, is_token_name};
use crate::{IdError, TokenName};
use std::fmt;
use std::str::FromStr;

/// Shortest and longest user ID, in characters.
pub const USERID_LEN: std::ops::RangeInclusive<usize> = 3..=64;

/// A user, `name@realm`. The name may contain anything but whitespace, `:`
/// and `/` (even `@`: the realm starts after the last one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Userid {
    text: String,
    /// Byte index of the `@` separating name and realm.
    at: usize,
}

impl Userid {
    /// The part before the realm.
    pub fn name(&self) -> &str {
        self.text.get(..self.at).unwrap_or_default()
    }

    /// The realm (`pam`, `pve`, ...).
    pub fn realm(&self) -> &str {
        self.text.get(self.at + 1..).unwrap_or_default()
    }

    /// The whole ID as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `root@pam`, the superuser.
    pub fn is_root(&self) -> bool {
        self.text == "root@pam"
    }
}

fn is_user_name(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == ':' || c == '/')
}

impl FromStr for Userid {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let len = s.chars().count();
        if len < *USERID_LEN.start() {
            return Err(IdError::new(
                "userid",
                format!("user name '{s}' is too short"),
            ));
        }
        if len > *USERID_LEN.end() {
            return Err(IdError::new(
                "userid",
                format!("user name '{s}' is too long ({len} > 64)"),
            ));
        }
        match s.rsplit_once('@') {
            Some((name, realm)) if is_user_name(name) && is_realm_id(realm) => Ok(Userid {
                text: s.to_string(),
                at: name.len(),
            }),
            _ => Err(IdError::new(
                "userid",
                format!("value '{s}' does not look like a valid user name"),
            )),
        }
    }
}

impl fmt::Display for Userid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

serde_via_string!(Userid);

/// Who is authenticated: a user, or an API token of a user.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Authid {
    user: Userid,
    token: Option<TokenName>,
}

impl Authid {
    /// A token of `user`.
    pub fn token(user: Userid, token: TokenName) -> Self {
        Authid {
            user,
            token: Some(token),
        }
    }

    /// The user (the token's owner for a token).
    pub fn user(&self) -> &Userid {
        &self.user
    }

    /// The token name, `None` for a plain user.
    pub fn token_name(&self) -> Option<&TokenName> {
        self.token.as_ref()
    }

    /// Whether this is an API token.
    pub fn is_token(&self) -> bool {
        self.token.is_some()
    }
}

impl From<Userid> for Authid {
    fn from(user: Userid) -> Self {
        Authid { user, token: None }
    }
}

impl FromStr for Authid {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A token name cannot contain '!' or '@', but a user name can contain
        // '!': only a valid token name after the last '!' makes this a token.
        if let Some((user, token)) = s.rsplit_once('!') {
            if is_token_name(token) {
                let token_err = || {
                    IdError::new(
                        "tokenid",
                        format!("value '{s}' does not look like a valid token ID"),
                    )
                };
                let user = user.parse().map_err(|_| token_err())?;
                let token = token.parse().map_err(|_| token_err())?;
                return Ok(Authid::token(user, token));
            }
        }
        Ok(Authid::from(s.parse::<Userid>()?))
    }
}

impl fmt::Display for Authid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.token {
            Some(token) => write!(f, "{}!{}", self.user, token),
            None => write!(f, "{}", self.user),
        }
    }
}

serde_via_string!(Authid);
